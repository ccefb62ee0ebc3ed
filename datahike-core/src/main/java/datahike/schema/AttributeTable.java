package datahike.schema;

/**
 * The attributes of a schema by code, for the transactor's per-datom lookup: open addressing over
 * primitive int keys. A {@code HashMap<Integer, Attribute>} boxed each code on every lookup
 * (keyword codes are negative keyword ids, outside Integer's small-value cache), which showed as
 * 7.6% of a bulk load's samples. Filled once while its schema is built, then only read. Internal.
 */
final class AttributeTable {
  private int[] codes = new int[16];
  private Attribute[] attrs = new Attribute[16];
  private int size;

  /** Adds or replaces the attribute of {@code code} (never 0, the wildcard). */
  void put(int code, Attribute a) {
    if ((size + 1) * 2 > codes.length) grow();
    int mask = codes.length - 1;
    int i = mix(code) & mask;
    while (codes[i] != 0 && codes[i] != code) i = (i + 1) & mask;
    if (codes[i] == 0) size++;
    codes[i] = code;
    attrs[i] = a;
  }

  /** The attribute of {@code code}, or null. */
  Attribute get(int code) {
    int[] cs = codes;
    int mask = cs.length - 1;
    int i = mix(code) & mask;
    int c;
    while ((c = cs[i]) != 0) {
      if (c == code) return attrs[i];
      i = (i + 1) & mask;
    }
    return null;
  }

  private void grow() {
    int[] oldCodes = codes;
    Attribute[] oldAttrs = attrs;
    codes = new int[oldCodes.length * 2];
    attrs = new Attribute[oldCodes.length * 2];
    size = 0;
    for (int i = 0; i < oldCodes.length; i++) {
      if (oldCodes[i] != 0) put(oldCodes[i], oldAttrs[i]);
    }
  }

  private static int mix(int code) {
    int h = code * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
