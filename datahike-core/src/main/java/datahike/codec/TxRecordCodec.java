package datahike.codec;

import datahike.DatahikeException;
import datahike.Datom;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes {@link TxRecord}s, the payloads of the transaction log. Hand-written: no
 * serialization library is approved for core and CBOR is kept out of it.
 *
 * <p>Payload layout (zz = zigzag varint, see {@link ByteWriter}):
 *
 * <pre>
 * size    field
 * 1       format version, {@link #VERSION}
 * 1..10   zz tx
 * 1..10   zz maxEid
 * 1..5    varint d, then d datoms                    (the record's datoms)
 * 1..5    varint p, then p datoms                    (the purged datoms)
 * </pre>
 *
 * <p>Datoms are laid out as in {@link DatomCodec}, with the record's tx as base tx, so a datom of
 * this transaction spends no byte on its tx; purged datoms (older transactions) carry a delta. Both
 * lists share one keyword dictionary and one running previous datom: each attribute or keyword
 * value is named once per record and referred to by a small index after that.
 *
 * <p>Internal: not part of the public API.
 */
public final class TxRecordCodec {
  /** Format version written by this build. */
  public static final int VERSION = 1;

  private TxRecordCodec() {}

  /** The payload for {@code record}. */
  public static byte[] encode(TxRecord record) {
    int n = record.datoms().size() + record.purged().size();
    ByteWriter w = new ByteWriter(24 + n * 12);
    w.u8(VERSION);
    w.zigzag(record.tx());
    w.zigzag(record.maxEid());
    DatomCodec c = DatomCodec.writer(record.tx());
    writeAll(w, c, record.datoms());
    writeAll(w, c, record.purged());
    return w.toByteArray();
  }

  private static void writeAll(ByteWriter w, DatomCodec c, List<Datom> datoms) {
    int n = datoms.size();
    w.varint(n);
    for (int i = 0; i < n; i++) {
      c.write(w, datoms.get(i));
    }
  }

  /**
   * The record in {@code payload}; {@code :codec/corrupt} for malformed bytes, {@code
   * :codec/too-new} for a newer format.
   */
  public static TxRecord decode(byte[] payload) {
    ByteReader r = new ByteReader(payload);
    try {
      r.version(VERSION, "log record");
      long tx = r.zigzag();
      long maxEid = r.zigzag();
      DatomCodec c = DatomCodec.reader(tx);
      List<Datom> datoms = readAll(r, c);
      List<Datom> purged = readAll(r, c);
      r.expectEnd();
      return new TxRecord(tx, maxEid, datoms, purged);
    } catch (DatahikeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ValueCodec.corrupt(r, e);
    }
  }

  private static List<Datom> readAll(ByteReader r, DatomCodec c) {
    Datom[] out = new Datom[r.count(DatomCodec.MIN_BYTES, "datom count")];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.read(r);
    }
    return Arrays.asList(out);
  }
}
