package datahike.store;

/**
 * One record of a store's transaction log: its sequence number (dense, from 1, assigned by the
 * store at append) and the bytes appended. The payload array is the caller's to keep.
 */
public record LogEntry(long seq, byte[] payload) {}
