/**
 * Internal: the LMDB store backend, {@code {:backend :lmdb :path "data/db"}}. Not public API;
 * nothing here is stable for users. Loaded through {@link java.util.ServiceLoader} by {@link
 * datahike.store.Stores}.
 */
package datahike.store.lmdb;
