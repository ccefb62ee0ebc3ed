/**
 * Internal: the binary codecs of durable storage. Not public API; nothing here is stable for users.
 * Classes are public only because the store, index and transactor packages call them.
 *
 * <p>{@link datahike.codec.ValueCodec} writes one datom value; {@link datahike.codec.TxRecordCodec}
 * writes a transaction log record ({@link datahike.codec.TxRecord}); {@link
 * datahike.codec.NodeCodec} writes index tree nodes. Each payload starts with a format version
 * byte; the store layer ({@link datahike.store.BlobFrame}) adds magic, kind, length and checksum
 * around it. Decoding never trusts its input: any malformed byte sequence fails with {@code
 * :codec/corrupt}, a newer format with {@code :codec/too-new}, and nothing else.
 *
 * <p>Why hand-written: no serialization library is on the approved dependency list for core, and
 * CBOR (the export format) is explicitly kept out of core. The formats are small and fixed: tagged
 * values, varints and per-payload keyword dictionaries, which a library would not make smaller or
 * faster.
 */
package datahike.codec;
