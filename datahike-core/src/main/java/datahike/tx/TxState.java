package datahike.tx;

import datahike.Datom;
import datahike.db.DbValue;
import datahike.schema.Attribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The working state of one transaction attempt: the transient database being built, the datoms
 * the transaction changed so far, the tempids resolved, and composite tuple values waiting to be
 * written. Internal.
 */
final class TxState {
  final DbValue before;
  final DbValue db;
  final long tx;
  final List<Datom> txData = new ArrayList<>();
  /** Datoms purged by this transaction (removed from every index, reported nowhere else). */
  final List<Datom> purged = new ArrayList<>();
  /** Set once this transaction retracted a current datom: only then can an assertion undo one. */
  boolean retracted;
  final LinkedHashMap<Object, Long> tempids;
  /** The tempids fixed when this attempt started. */
  final Map<Object, Long> initialTempids;
  /** entity → composite tuple attribute → queued tuple value. */
  Map<Long, Map<Attribute, Object[]>> queuedTuples = new LinkedHashMap<>();

  TxState(DbValue before, Map<Object, Long> tempids) {
    this.before = before;
    this.db = before.transientCopy();
    this.tx = before.maxTx() + 1;
    this.tempids = new LinkedHashMap<>(tempids);
    this.initialTempids = Map.copyOf(tempids);
  }

  /** The next free entity id (Datahike's next-eid). */
  long nextEid() {
    return db.maxEid() + 1;
  }

  /** Advances max-eid when {@code eid} is a user entity id beyond it (Datahike's advance-max-eid). */
  void advanceMaxEid(long eid) {
    if (eid > db.maxEid() && eid < DbValue.TX0) db.setMaxEid(eid);
  }

  /** Records {@code tempid → eid} (for tempids and tx markers) and advances max-eid. */
  void allocate(Object tempid, long eid) {
    if (tempid != null && (Transactor.isTempid(tempid) || Transactor.isTxId(tempid))) {
      tempids.put(tempid, eid);
    }
    advanceMaxEid(eid);
  }

  static Map<Object, Long> noTempids() {
    return new HashMap<>();
  }
}
