package io.portcullis.registry;

public record AuthMethodView(String id, String friendlyName, String description, boolean enabled) {
}
