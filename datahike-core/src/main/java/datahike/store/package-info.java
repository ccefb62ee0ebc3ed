/**
 * Internal: storage. Not public API; nothing here is stable for users.
 *
 * <p>A {@link datahike.store.Store} holds immutable blobs by key, one mutable head record and a
 * transaction log, and enforces a single writer. Backends are found by {@link
 * datahike.store.Stores#open} through {@link java.util.ServiceLoader}, keyed by the {@code
 * :backend} keyword of the store configuration. Everything a backend writes is framed by {@link
 * datahike.store.BlobFrame}, so torn and rotted writes are detected, never read as data.
 */
package datahike.store;
