/**
 * The implementation of the fake BRMS: the in-memory store of projects, users and tokens, the HTTP
 * front end on the JDK {@code HttpServer}, request routing, JSON rendering, fault injection,
 * request counters and the data-file loader. Nothing here is API: types are public only where the
 * {@code dev.patguard.fakebrms} package has to reach them, and may change without notice.
 */
@org.jspecify.annotations.NullMarked
package dev.patguard.fakebrms.internal;
