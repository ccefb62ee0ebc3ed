package datahike.db;

import datahike.edn.Keyword;

/** The three covering indices. Internal. */
public enum IndexType {
  EAVT,
  AEVT,
  AVET;

  /** {@code :eavt} and friends; also accepts {@code :eavt}-style without colon. */
  public static IndexType of(Object k) {
    String s = k instanceof Keyword kw ? kw.name() : String.valueOf(k).replace(":", "");
    switch (s.toLowerCase()) {
      case "eavt":
        return EAVT;
      case "aevt":
        return AEVT;
      case "avet":
        return AVET;
      default:
        throw datahike.DatahikeException.of(
            "datoms/unknown-index", "Unknown index " + k + ": use :eavt, :aevt or :avet", "index", k);
    }
  }
}
