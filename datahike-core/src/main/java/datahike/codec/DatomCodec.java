package datahike.codec;

import datahike.Datom;
import datahike.edn.Keyword;

/**
 * Writes and reads the datoms of one payload (an index node or a log record), each relative to the
 * datom before it. One instance per payload holds the running state: the keyword dictionary, the
 * previous entity id and transaction, and the payload's base transaction.
 *
 * <p>Datom layout:
 *
 * <pre>
 * size    field
 * 1       header
 *           bit 0     added
 *           bit 1     same e as the previous datom (the first datom's previous e is 0)
 *           bit 2     same tx as the previous datom (the first datom's previous tx is the base)
 *           bits 3-7  attribute mode m:
 *                       0..28  keyword, dictionary index m
 *                       29     keyword, dictionary index 29 + varint that follows
 *                       30     keyword named here (varint n, n bytes UTF-8), next dictionary index
 *                       31     attribute entity id (:attribute-refs? true), varint that follows
 * 0..10   zz (e - previous e)                        unless bit 1
 * 0..    attribute payload                           for modes 29, 30, 31
 * 0..10   zz (tx - base tx)                          unless bit 2
 * 1..     value, tagged as in {@link ValueCodec}, keywords through the same dictionary
 * </pre>
 *
 * <p>Why relative to the previous datom: EAVT leaves are sorted by e, so the e delta is 0 or small;
 * AEVT and AVET leaves are not, yet neighbouring entity ids are still mostly close, and zigzag
 * keeps a negative delta as short as a positive one. A datom of the usual shape (same entity or a
 * near one, a known keyword attribute, the same transaction, a short string) costs the header, one
 * e byte and the value.
 */
final class DatomCodec {
  static final int BIT_ADDED = 1;
  static final int BIT_SAME_E = 2;
  static final int BIT_SAME_TX = 4;
  static final int MODE_SHIFT = 3;
  static final int KW_SMALL_COUNT = 29;
  static final int MODE_KW_EXT = 29;
  static final int MODE_KW_DEF = 30;
  static final int MODE_ID = 31;

  /** Smallest encoded datom: header and a one-byte value. */
  static final int MIN_BYTES = 2;

  private final KeywordDict dict;
  private final long baseTx;
  private long prevE;
  private long prevTx;

  private DatomCodec(KeywordDict dict, long baseTx) {
    this.dict = dict;
    this.baseTx = baseTx;
    this.prevTx = baseTx;
  }

  /** A writer for datoms whose transactions are mostly {@code baseTx}. */
  static DatomCodec writer(long baseTx) {
    return new DatomCodec(KeywordDict.forEncoding(), baseTx);
  }

  /** A reader matching {@link #writer(long)}. */
  static DatomCodec reader(long baseTx) {
    return new DatomCodec(KeywordDict.forDecoding(), baseTx);
  }

  void write(ByteWriter w, Datom d) {
    long e = d.e;
    long tx = d.tx();
    int a = d.a;
    int h = d.added() ? BIT_ADDED : 0;
    if (e == prevE) {
      h |= BIT_SAME_E;
    }
    if (tx == prevTx) {
      h |= BIT_SAME_TX;
    }
    int mode;
    int index = 0;
    if (a < 0) {
      index = dict.indexOrAdd(-a);
      mode = index < 0 ? MODE_KW_DEF : index < KW_SMALL_COUNT ? index : MODE_KW_EXT;
    } else {
      mode = MODE_ID;
    }
    w.u8(h | mode << MODE_SHIFT);
    if (e != prevE) {
      w.zigzag(e - prevE);
    }
    if (mode == MODE_KW_DEF) {
      w.string(Keyword.byId(-a).fullName(), -1, 0, -1);
    } else if (mode == MODE_KW_EXT) {
      w.varint(index - KW_SMALL_COUNT);
    } else if (mode == MODE_ID) {
      w.varint(a);
    }
    if (tx != prevTx) {
      w.zigzag(tx - baseTx);
    }
    ValueCodec.write(w, d.v, dict, 0);
    prevE = e;
    prevTx = tx;
  }

  Datom read(ByteReader r) {
    int h = r.u8();
    long e = (h & BIT_SAME_E) != 0 ? prevE : prevE + r.zigzag();
    int mode = h >>> MODE_SHIFT;
    int a;
    if (mode < KW_SMALL_COUNT) {
      a = dict.code(mode, r);
    } else if (mode == MODE_KW_EXT) {
      int i = r.varintAtMost(Integer.MAX_VALUE - KW_SMALL_COUNT, "keyword index");
      a = dict.code(KW_SMALL_COUNT + i, r);
    } else if (mode == MODE_KW_DEF) {
      a = Datom.attrCode(dict.define(r.utf8()));
    } else {
      a = r.varintAtMost(Integer.MAX_VALUE, "attribute id");
    }
    long tx = (h & BIT_SAME_TX) != 0 ? prevTx : baseTx + r.zigzag();
    Object v = ValueCodec.read(r, dict, 0);
    prevE = e;
    prevTx = tx;
    if (tx < 0 || tx > Integer.MAX_VALUE) throw r.corrupt("transaction id " + tx + " out of range");
    return new Datom(e, a, v, tx, (h & BIT_ADDED) != 0);
  }
}
