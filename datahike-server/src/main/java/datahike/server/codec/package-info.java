/**
 * Wire formats of the HTTP API: JSON (with the keyword convention of Datahike's language bindings),
 * EDN and Transit-JSON, each turning Java data (Lists, Maps, Sets, {@link datahike.edn.Keyword}s,
 * {@link datahike.Datom}s, ...) into bytes and back.
 *
 * <p>Internal: not part of the public API. The server and the remote client share these classes.
 */
package datahike.server.codec;
