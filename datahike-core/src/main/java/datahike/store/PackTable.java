package datahike.store;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Where each blob of the file store's packs lives: key to (pack, offset, frame length), in
 * parallel arrays with linear probing. Every blob of a database has an entry, so it is kept lean:
 * no entry objects and no boxed numbers, about the key's String plus 24 bytes of slots per blob at
 * the worst load. Not thread-safe; {@link PackCatalog} guards it.
 */
final class PackTable {
  private static final float MAX_LOAD = 0.6f;

  private String[] keys;
  private PackCatalog.Pack[] packs;
  private long[] offsets;
  private int[] lengths;
  private int size;

  PackTable(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, (int) (expected / MAX_LOAD) + 1) * 2 - 1);
    alloc(cap);
  }

  private void alloc(int cap) {
    keys = new String[cap];
    packs = new PackCatalog.Pack[cap];
    offsets = new long[cap];
    lengths = new int[cap];
  }

  /** Number of keys. */
  int size() {
    return size;
  }

  /** Slots to scan with {@link #key}: some are empty (null key). */
  int capacity() {
    return keys.length;
  }

  String key(int slot) {
    return keys[slot];
  }

  PackCatalog.Pack pack(int slot) {
    return packs[slot];
  }

  long offset(int slot) {
    return offsets[slot];
  }

  int length(int slot) {
    return lengths[slot];
  }

  private static int hash(String key) {
    int h = key.hashCode() * 0x9E3779B9;
    return h ^ h >>> 16;
  }

  /** The slot holding {@code key}, or -1. */
  int find(String key) {
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; ; i = i + 1 & mask) {
      String k = keys[i];
      if (k == null) return -1;
      if (k.equals(key)) return i;
    }
  }

  /** Makes room for {@code more} keys beyond those held, so that adding them never rehashes. */
  void reserve(int more) {
    while (size + more > keys.length * MAX_LOAD) grow();
  }

  /** Sets the location of {@code key}, adding it when new. */
  void put(String key, PackCatalog.Pack pack, long offset, int length) {
    if (size + 1 > keys.length * MAX_LOAD) grow();
    int mask = keys.length - 1;
    int i = hash(key) & mask;
    while (keys[i] != null && !keys[i].equals(key)) i = i + 1 & mask;
    if (keys[i] == null) {
      keys[i] = key;
      size++;
    }
    packs[i] = pack;
    offsets[i] = offset;
    lengths[i] = length;
  }

  /** Removes the key in {@code slot}, shifting later entries of its probe run back. */
  void removeSlot(int slot) {
    int mask = keys.length - 1;
    int hole = slot;
    for (int i = hole + 1 & mask; keys[i] != null; i = i + 1 & mask) {
      int home = hash(keys[i]) & mask;
      // Move entry i into the hole unless its home lies cyclically in (hole, i].
      boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!stays) {
        keys[hole] = keys[i];
        packs[hole] = packs[i];
        offsets[hole] = offsets[i];
        lengths[hole] = lengths[i];
        hole = i;
      }
    }
    keys[hole] = null;
    packs[hole] = null;
    size--;
  }

  /** Removes every entry whose pack passes {@code test}. */
  void removeIf(Predicate<PackCatalog.Pack> test) {
    String[] k = keys;
    PackCatalog.Pack[] p = packs;
    long[] o = offsets;
    int[] l = lengths;
    alloc(k.length);
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != null && !test.test(p[i])) put(k[i], p[i], o[i], l[i]);
    }
  }

  private void grow() {
    String[] k = keys;
    PackCatalog.Pack[] p = packs;
    long[] o = offsets;
    int[] l = lengths;
    alloc(k.length * 2);
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != null) put(k[i], p[i], o[i], l[i]);
    }
  }

  /** Drops every entry. */
  void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(packs, null);
    size = 0;
  }
}
