package datahike.codec;

import datahike.DatahikeException;
import datahike.Datom;

/**
 * Encodes and decodes index tree nodes, leaves and branches alike. Hand-written: no serialization
 * library is approved for core and CBOR is kept out of it; and the layout exploits what a generic
 * format cannot: neighbouring datoms share entity ids, attributes and transactions.
 *
 * <p>Payload layout (zz = zigzag varint, see {@link ByteWriter}):
 *
 * <pre>
 * size    field
 * 1       format version, {@link #VERSION}
 * 1       kind: 1 leaf, 2 branch
 * 1..5    varint n, the number of keys (leaf) or children (branch)
 * 1..10   zz base tx: the first datom's tx (0 when n = 0)
 * leaf:   n datoms
 * branch: n times: the child's max datom,
 *           varint p, the length in chars of the prefix shared with the previous child's address
 *             (0 for the first child),
 *           varint k and k bytes UTF-8, the rest of the child's address,
 *           varint the child's datom count
 * </pre>
 *
 * <p>Datoms are laid out as in {@link DatomCodec}: one header byte holding the added flag, "same e"
 * and "same tx" bits and the attribute (an index into the node's keyword dictionary, which names
 * each keyword at first use), the entity id as zigzag delta from the previous datom's, the tx as
 * delta from the base, and the value tagged as in {@link ValueCodec}. Keyword values share the
 * attributes' dictionary. Child addresses typically share a prefix (a timestamp, a store prefix),
 * which is written once.
 *
 * <p>Internal: not part of the public API.
 */
public final class NodeCodec {
  /** Format version written by this build. */
  public static final int VERSION = 1;

  static final int KIND_LEAF = 1;
  static final int KIND_BRANCH = 2;

  private NodeCodec() {}

  /** The payload of a leaf holding {@code keys[from, from+len)}. */
  public static byte[] encodeLeaf(Datom[] keys, int from, int len) {
    ByteWriter w = new ByteWriter(16 + len * 12);
    long base = len == 0 ? 0 : keys[from].tx();
    header(w, KIND_LEAF, len, base);
    DatomCodec c = DatomCodec.writer(base);
    for (int i = from, end = from + len; i < end; i++) {
      c.write(w, keys[i]);
    }
    return w.toByteArray();
  }

  /**
   * The payload of a branch of {@code len} children: child {@code i} has largest datom {@code
   * maxKeys[i]}, address {@code childAddresses[i]} and {@code childCounts[i]} datoms.
   */
  public static byte[] encodeBranch(
      Datom[] maxKeys, String[] childAddresses, long[] childCounts, int len) {
    ByteWriter w = new ByteWriter(16 + len * 48);
    long base = len == 0 ? 0 : maxKeys[0].tx();
    header(w, KIND_BRANCH, len, base);
    DatomCodec c = DatomCodec.writer(base);
    String prev = "";
    for (int i = 0; i < len; i++) {
      c.write(w, maxKeys[i]);
      String address = childAddresses[i];
      int p = sharedPrefix(prev, address);
      w.varint(p);
      w.string(address.substring(p), -1, 0, -1);
      w.varint(childCounts[i]);
      prev = address;
    }
    return w.toByteArray();
  }

  private static int sharedPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int p = 0;
    while (p < n && a.charAt(p) == b.charAt(p)) {
      p++;
    }
    // Never split a surrogate pair: a lone surrogate does not survive UTF-8.
    if (p > 0 && Character.isHighSurrogate(b.charAt(p - 1))) {
      p--;
    }
    return p;
  }

  private static void header(ByteWriter w, int kind, int n, long baseTx) {
    w.u8(VERSION);
    w.u8(kind);
    w.varint(n);
    w.zigzag(baseTx);
  }

  /**
   * The node in {@code payload}; {@code :codec/corrupt} for malformed bytes, {@code :codec/too-new}
   * for a newer format.
   */
  public static DecodedNode decode(byte[] payload) {
    ByteReader r = new ByteReader(payload);
    try {
      r.version(VERSION, "index node");
      int kind = r.u8();
      if (kind == KIND_LEAF) {
        int n = r.count(DatomCodec.MIN_BYTES, "key count");
        DatomCodec c = DatomCodec.reader(r.zigzag());
        Datom[] keys = new Datom[n];
        for (int i = 0; i < n; i++) {
          keys[i] = c.read(r);
        }
        r.expectEnd();
        return new DecodedNode.Leaf(keys);
      }
      if (kind == KIND_BRANCH) {
        int n = r.count(DatomCodec.MIN_BYTES + 3, "child count");
        DatomCodec c = DatomCodec.reader(r.zigzag());
        Datom[] maxKeys = new Datom[n];
        String[] addresses = new String[n];
        long[] counts = new long[n];
        String prev = "";
        for (int i = 0; i < n; i++) {
          maxKeys[i] = c.read(r);
          int p = r.varintAtMost(prev.length(), "shared address prefix");
          String rest = r.utf8();
          prev = p == 0 ? rest : prev.substring(0, p).concat(rest);
          addresses[i] = prev;
          counts[i] = r.varint();
        }
        r.expectEnd();
        return new DecodedNode.Branch(maxKeys, addresses, counts);
      }
      throw r.corrupt("unknown node kind " + kind);
    } catch (DatahikeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ValueCodec.corrupt(r, e);
    }
  }
}
