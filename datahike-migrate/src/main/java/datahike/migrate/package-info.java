/**
 * Export and import of whole databases. {@link datahike.migrate.Migrate} is the entry point and
 * {@link datahike.migrate.Format} names the formats; every other class here is internal.
 *
 * <p>The CBOR format is the one Datahike's {@code datahike.migrate/export-db} writes (and {@code
 * import-db} reads): an RFC 8742 CBOR sequence, one top-level definite-length array {@code [e a v
 * tx added]} per datom, no header, no delimiter, encoded as clj-cbor's default codec encodes
 * Clojure data. See {@link datahike.migrate.CborRecords} for the byte-level mapping of every value
 * type.
 */
package datahike.migrate;
