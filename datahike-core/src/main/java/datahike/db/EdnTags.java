package datahike.db;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The EDN tag readers of datahike ({@code #datahike/Datom}) and a reader using them. Internal. */
public final class EdnTags {
  private EdnTags() {}

  /** Tag name → reader. */
  public static final Map<String, Function<Object, Object>> READERS =
      Map.of("datahike/Datom", EdnTags::datom, "datom", EdnTags::datom);

  /** Reads one EDN form, knowing datahike's tags. */
  public static Object read(String edn) {
    return EdnReader.read(edn, READERS);
  }

  /** {@code #datahike/Datom [e a v tx added]}: tx defaults to tx0, added to true. */
  static Object datom(Object form) {
    if (!(form instanceof List<?> l) || l.size() < 3 || l.size() > 5) {
      throw DatahikeException.of(
          "edn/datom", "A datom literal is [e a v tx? added?], got " + EdnPrinter.print(form), "form", form);
    }
    if (!(l.get(0) instanceof Number) || !(l.get(1) instanceof Keyword || l.get(1) instanceof Number)
        || (l.size() > 3 && !(l.get(3) instanceof Number))) {
      throw DatahikeException.of(
          "edn/datom", "A datom literal is [e a v tx? added?], got " + EdnPrinter.print(form), "form", form);
    }
    long e = ((Number) l.get(0)).longValue();
    Object a = l.get(1);
    int code;
    if (a instanceof Keyword k) {
      code = Datom.attrCode(k);
    } else {
      long id = ((Number) a).longValue();
      if (id <= 0 || id > Integer.MAX_VALUE) {
        throw DatahikeException.of(
            "edn/datom", "A datom's attribute id must be a positive int, got " + a, "form", form);
      }
      code = (int) id;
    }
    long tx = l.size() > 3 ? ((Number) l.get(3)).longValue() : DbValue.TX0;
    boolean added = l.size() <= 4 || Boolean.TRUE.equals(l.get(4));
    return new Datom(e, code, l.get(2), tx, added);
  }
}
