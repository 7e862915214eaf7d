package io.portcullis.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md lists every key of {@link PortcullisConfig}, once, and no key it does not have. */
class ConfigurationReferenceTest {
    private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`(portcullis\\.[a-z0-9.-]+)`\\s*\\|");

    /** The leaf keys of a SmallRye config mapping: kebab-case method names, nested interfaces as segments. */
    static Set<String> keys(Class<?> mapping, String prefix) {
        Set<String> keys = new TreeSet<>();
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0 || method.isSynthetic()) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && isNestedIn(type, PortcullisConfig.class)) {
                keys.addAll(keys(type, key));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A group of PortcullisConfig at any depth (portcullis.limits.redis.*). */
    static boolean isNestedIn(Class<?> type, Class<?> outer) {
        for (Class<?> c = type.getEnclosingClass(); c != null; c = c.getEnclosingClass()) {
            if (c == outer) {
                return true;
            }
        }
        return false;
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void kebabCaseIsSmallRyes() {
        assertEquals("encryption-secret", kebab("encryptionSecret"));
        assertEquals("max-failures-per-address", kebab("maxFailuresPerAddress"));
        assertTrue(keys(PortcullisConfig.class, "portcullis").contains("portcullis.access-log.enabled"));
    }

    @Test
    void theReferenceListsEveryKeyOnce() throws Exception {
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("docs", "configuration.md"))) {
            Matcher m = ROW_KEY.matcher(line);
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        Set<String> unique = new TreeSet<>(documented);
        assertEquals(unique.size(), documented.size(), "a key is listed twice in docs/configuration.md: " + documented);
        assertEquals(keys(PortcullisConfig.class, "portcullis"), unique,
                "docs/configuration.md and PortcullisConfig disagree");
    }
}
