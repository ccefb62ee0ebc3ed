package datahike.server.client;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a remote transaction (or {@link RemoteDatabase#with}) did: {@link datahike.TxReport}'s
 * fields, with the database values on the server.
 *
 * @param dbBefore the value the transaction started from
 * @param dbAfter the value it produced
 * @param txData the datoms it changed, in order
 * @param tempids tempid → entity id, plus {@code :db/current-tx} → the transaction id
 * @param txMeta the transaction's metadata
 */
public record RemoteTxReport(
    RemoteDatabase dbBefore,
    RemoteDatabase dbAfter,
    List<Datom> txData,
    Map<Object, Long> tempids,
    Map<Keyword, Object> txMeta) {

  private static final Keyword CURRENT_TX = Keyword.of("db/current-tx");

  /** The entity id a tempid resolved to; throws when the transaction did not use it. */
  public long tempid(Object tempid) {
    Long id = tempids.get(tempid);
    if (id == null) {
      throw DatahikeException.of(
          "transact/tempid",
          "Tempid " + tempid + " was not used by this transaction",
          "tempid",
          tempid);
    }
    return id;
  }

  /** The id of this transaction. */
  public long tx() {
    return tempids.get(CURRENT_TX);
  }

  /** The report from the server's answer. */
  @SuppressWarnings("unchecked")
  static RemoteTxReport of(RemoteClient client, Object answer) {
    if (!(answer instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/bad-answer", "Expected a transaction report, got " + EdnPrinter.print(answer));
    }
    List<Datom> txData = new ArrayList<>();
    if (m.get(Keyword.of("tx-data")) instanceof List<?> l) {
      for (Object d : l) txData.add((Datom) d);
    }
    Map<Object, Long> tempids = new LinkedHashMap<>();
    if (m.get(Keyword.of("tempids")) instanceof Map<?, ?> t) {
      for (Map.Entry<?, ?> e : t.entrySet()) {
        tempids.put(e.getKey(), ((Number) e.getValue()).longValue());
      }
    }
    Object meta = m.get(Keyword.of("tx-meta"));
    return new RemoteTxReport(
        RemoteDatabase.described(client, m.get(Keyword.of("db-before"))),
        RemoteDatabase.described(client, m.get(Keyword.of("db-after"))),
        Collections.unmodifiableList(txData),
        Collections.unmodifiableMap(tempids),
        meta == null ? Map.of() : Collections.unmodifiableMap((Map<Keyword, Object>) meta));
  }
}
