package datahike.codec;

import datahike.Datom;
import datahike.edn.Keyword;
import java.util.Arrays;

/**
 * The per-payload keyword dictionary. A payload names each distinct keyword once, at its first use,
 * and refers to it afterwards by its index (0, 1, 2, ... in order of first use). Keyword ids are
 * process-local, so only names are ever written.
 *
 * <p>Encoding side: {@link #indexOrAdd} maps keyword ids to indices in an open-addressing int table
 * (no boxing, no per-lookup allocation). Decoding side: {@link #define} and {@link #get} keep the
 * keywords, and the {@link Datom#attrCode} of each, in arrays. One object plays one role.
 */
final class KeywordDict {
  // Encoding: keyword id -> index + 1 (0 means empty), linear probing, load at most 1/2.
  private int[] ids;
  private int[] indices;
  private int mask;

  // Decoding: index -> keyword and its attribute code.
  private Keyword[] keywords;
  private int[] codes;

  private int size;

  private KeywordDict() {}

  /** A dictionary for encoding. */
  static KeywordDict forEncoding() {
    KeywordDict d = new KeywordDict();
    d.ids = new int[32];
    d.indices = new int[32];
    d.mask = 31;
    return d;
  }

  /** A dictionary for decoding. */
  static KeywordDict forDecoding() {
    KeywordDict d = new KeywordDict();
    d.keywords = new Keyword[16];
    d.codes = new int[16];
    return d;
  }

  /**
   * The index of the keyword with id {@code keywordId}, or -1 if this is its first use, in which
   * case it is added with index {@code size() - 1}, and the caller writes its name.
   */
  int indexOrAdd(int keywordId) {
    int i = mix(keywordId) & mask;
    while (true) {
      int id = ids[i];
      if (id == keywordId) {
        return indices[i] - 1;
      }
      if (id == 0) {
        ids[i] = keywordId;
        indices[i] = ++size;
        if (size * 2 > mask) {
          grow();
        }
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  private static int mix(int x) {
    return x * 0x9E3779B9 >>> 7;
  }

  private void grow() {
    int[] oldIds = ids;
    int[] oldIdx = indices;
    ids = new int[oldIds.length * 2];
    indices = new int[oldIds.length * 2];
    mask = ids.length - 1;
    for (int j = 0; j < oldIds.length; j++) {
      int id = oldIds[j];
      if (id != 0) {
        int i = mix(id) & mask;
        while (ids[i] != 0) {
          i = (i + 1) & mask;
        }
        ids[i] = id;
        indices[i] = oldIdx[j];
      }
    }
  }

  /** The keyword whose {@link Keyword#fullName()} is {@code fullName}. */
  static Keyword keyword(String fullName) {
    // Keyword.of strips one leading colon; keep a name that itself starts with one intact.
    return Keyword.of(fullName.startsWith(":") ? ":" + fullName : fullName);
  }

  /** The number of keywords defined so far. */
  int size() {
    return size;
  }

  /** Defines the next index as the keyword spelled {@code fullName} and returns that keyword. */
  Keyword define(String fullName) {
    Keyword k = keyword(fullName);
    if (size == keywords.length) {
      keywords = Arrays.copyOf(keywords, size * 2);
      codes = Arrays.copyOf(codes, size * 2);
    }
    keywords[size] = k;
    codes[size] = Datom.attrCode(k);
    size++;
    return k;
  }

  /** The keyword with index {@code index}; {@code :codec/corrupt} if not yet defined. */
  Keyword get(int index, ByteReader r) {
    if (index < 0 || index >= size) {
      throw r.corrupt("keyword index " + index + " not defined");
    }
    return keywords[index];
  }

  /** The attribute code of the keyword with index {@code index}. */
  int code(int index, ByteReader r) {
    if (index < 0 || index >= size) {
      throw r.corrupt("keyword index " + index + " not defined");
    }
    return codes[index];
  }
}
