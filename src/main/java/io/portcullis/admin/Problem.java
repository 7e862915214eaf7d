package io.portcullis.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details document. {@code field} (an extension member) names the offending
 * input of a validation error, as a JSON path into the request body where there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail, String instance, String field) {
        return new Problem("about:blank", title, status, detail, instance, field);
    }
}
