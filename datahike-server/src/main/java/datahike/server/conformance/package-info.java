/**
 * The shared conformance corpus run through the remote client against a live server ({@link
 * datahike.server.conformance.RemoteConformance}).
 *
 * <p>Internal: not part of the public API.
 */
package datahike.server.conformance;
