package datahike.codec;

import datahike.Datom;
import java.util.List;

/**
 * One transaction log record: the transaction id, the largest entity id allocated so far, the
 * datoms the transaction asserted and retracted (each with its added flag and tx), and the datoms
 * it purged from history.
 *
 * <p>Internal: not part of the public API.
 *
 * @param tx the transaction id
 * @param maxEid the largest entity id allocated after this transaction
 * @param datoms asserted and retracted datoms, in transaction order
 * @param purged datoms removed from history by this transaction
 */
public record TxRecord(long tx, long maxEid, List<Datom> datoms, List<Datom> purged) {
  /** Copies both lists into unmodifiable ones; neither may hold null. */
  public TxRecord {
    datoms = List.copyOf(datoms);
    purged = List.copyOf(purged);
  }
}
