/**
 * Internal: the S3 store backend, {@code {:backend :s3 :bucket "b" :region "eu-west-1"}}. Not
 * public API; nothing here is stable for users. Loaded through {@link java.util.ServiceLoader} by
 * {@link datahike.store.Stores}.
 */
package datahike.store.s3;
