package io.mehery.gateway.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A credential that a path carries in its headers, checked by the edge before a byte of the body is read: a large
 * body (a visitor's upload) is read only for a caller that proved who it is. Declared here and implemented by the
 * channel that owns the path, so that the edge knows no channel.
 */
public interface HeaderCredentials {

    /** Whether this check applies to the path. */
    boolean guards(String path);

    /** Returns when the headers carry the credential; throws the channel's 401 {@code ApiException} otherwise. */
    void check(String path, HttpServletRequest request);
}
