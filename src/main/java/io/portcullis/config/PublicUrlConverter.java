package io.portcullis.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.net.URI;

/** portcullis.public-url must be an absolute http(s) URL with no query or fragment: it prefixes every issuer. */
public class PublicUrlConverter implements Converter<String> {
    @Override
    public String convert(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("portcullis.public-url is not a URL: " + value);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("portcullis.public-url must be an absolute http(s) URL without query or fragment: " + value);
        }
        return value.trim();
    }
}
