package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

import java.util.List;
import java.util.function.Function;

/** One page of a list the admin API answers (docs/contract.md#management). */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 500;

    /** Refuses a page before any query runs. */
    public static void check(int page, int size) {
        if (page < 0) {
            throw RegistryException.invalid("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw RegistryException.invalid("size", "size must be between 1 and " + MAX_SIZE);
        }
    }

    @SuppressWarnings("unchecked")
    static <E, D> Page<D> of(PanacheQuery<?> query, int page, int size, Function<E, D> map) {
        check(page, size);
        PanacheQuery<E> typed = (PanacheQuery<E>) query;
        return new Page<>(typed.page(page, size).list().stream().map(map).toList(), page, size, typed.count());
    }
}
