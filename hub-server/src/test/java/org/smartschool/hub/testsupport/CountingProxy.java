package org.smartschool.hub.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an interface's implementation and counts the calls of each method, to prove what a component does or does not call. */
public final class CountingProxy<T> {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final T proxy;

    public CountingProxy(Class<T> type, T target) {
        this.proxy = type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    public T proxy() {
        return proxy;
    }

    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }
}
