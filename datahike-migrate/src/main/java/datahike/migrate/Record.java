package datahike.migrate;

/**
 * One exported datom as a file holds it: entity, attribute (a Keyword, or a Long entity id with
 * {@code :attribute-refs?}), value, transaction, added.
 */
record Record(long e, Object a, Object v, long tx, boolean added) {}
