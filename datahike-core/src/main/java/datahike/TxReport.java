package datahike;

import datahike.edn.Keyword;
import java.util.List;
import java.util.Map;

/**
 * What a transaction did: the database before and after, the datoms it changed (every assertion
 * that was not already true and every retraction, including the implicit retraction of a replaced
 * cardinality-one value), the entity ids its tempids resolved to, and its metadata.
 *
 * @param dbBefore the database the transaction started from
 * @param dbAfter the database it produced
 * @param txData the datoms it changed, in the order they were applied
 * @param tempids tempid → entity id, plus {@code :db/current-tx} → the transaction id
 * @param txMeta the transaction's metadata ({@code :db/txInstant} and what the caller gave)
 */
public record TxReport(
    Database dbBefore,
    Database dbAfter,
    List<Datom> txData,
    Map<Object, Long> tempids,
    Map<Keyword, Object> txMeta) {

  /** The entity id a tempid resolved to; throws when the transaction did not use it. */
  public long tempid(Object tempid) {
    Long id = tempids.get(tempid);
    if (id == null) {
      throw DatahikeException.of(
          "transact/tempid", "Tempid " + tempid + " was not used by this transaction", "tempid", tempid);
    }
    return id;
  }

  /** The id of this transaction. */
  public long tx() {
    return tempids.get(Keyword.of("db/current-tx"));
  }
}
