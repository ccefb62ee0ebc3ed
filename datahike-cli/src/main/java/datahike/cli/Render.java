package datahike.cli;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Shows results: as EDN (what Datahike's CLI prints), JSON, or aligned tables for people.
 *
 * <p>A table is chosen for shapes that are tables: a relation (rows of a query, headed by its find
 * variables), datoms ({@code e a v tx added}), a collection of maps (columns are their keys), a map
 * of maps such as the schema (one row per key). Anything else prints as EDN. Rows of a relation
 * come sorted (a relation is a set), so output is stable.
 */
final class Render {
  private Render() {}

  /** The output formats of {@code --format}. */
  enum Format {
    EDN,
    JSON,
    TABLE;

    static Format of(String s) {
      for (Format f : values()) if (f.name().equalsIgnoreCase(s)) return f;
      throw DatahikeException.of(
          "cli/bad-format", "Unknown format '" + s + "': use edn, json or table", "format", s);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The text of {@code result} in {@code format}; {@code query} (or null) heads relations. */
  static String format(Object result, Format format, Object query) {
    return switch (format) {
      case EDN -> EdnText.print(result);
      case JSON -> Json.write(result);
      case TABLE -> {
        String t = table(result, query == null ? null : findHeaders(query), Integer.MAX_VALUE);
        yield t != null ? t : EdnText.pretty(result, 100);
      }
    };
  }

  /**
   * {@code result} as a table when it has a table's shape, else null. At most {@code limit} rows
   * are shown, followed by a line saying how many were left out.
   */
  static String table(Object result, List<String> headers, int limit) {
    if (!(result instanceof Collection<?> c)) {
      if (result instanceof Map<?, ?> m && !m.isEmpty() && allMaps(m.values())) {
        return mapOfMaps(m, limit);
      }
      return null;
    }
    if (c.isEmpty()) return headers != null ? table(headers, List.of(), limit, "rows") : null;
    if (allOf(c, Datom.class)) {
      List<List<Object>> rows = new ArrayList<>();
      for (Object o : c) {
        Datom d = (Datom) o;
        rows.add(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()));
      }
      return table(List.of("e", "a", "v", "tx", "added"), rows, limit, "datoms");
    }
    if (allOf(c, List.class)) {
      List<List<Object>> rows = new ArrayList<>();
      int width = -1;
      for (Object o : c) {
        List<?> row = (List<?>) o;
        if (width >= 0 && row.size() != width) return null;
        width = row.size();
        rows.add(new ArrayList<>(row));
      }
      if (c instanceof Set) rows.sort(ROWS);
      List<String> h = headers != null && headers.size() == width ? headers : columns(width);
      return table(h, rows, limit, "rows");
    }
    if (allOf(c, Map.class)) {
      Set<Object> keys = new LinkedHashSet<>();
      for (Object o : c) keys.addAll(((Map<?, ?>) o).keySet());
      List<String> h = new ArrayList<>();
      for (Object k : keys) h.add(cell(k));
      List<List<Object>> rows = new ArrayList<>();
      for (Object o : c) {
        List<Object> row = new ArrayList<>();
        for (Object k : keys) row.add(((Map<?, ?>) o).get(k));
        rows.add(row);
      }
      if (c instanceof Set) rows.sort(ROWS);
      return table(h, rows, limit, "rows");
    }
    return null;
  }

  private static String mapOfMaps(Map<?, ?> m, int limit) {
    Set<Object> keys = new LinkedHashSet<>();
    for (Object v : m.values()) keys.addAll(((Map<?, ?>) v).keySet());
    List<String> h = new ArrayList<>();
    h.add("");
    for (Object k : keys) h.add(cell(k));
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      List<Object> row = new ArrayList<>();
      row.add(e.getKey());
      for (Object k : keys) row.add(((Map<?, ?>) e.getValue()).get(k));
      rows.add(row);
    }
    rows.sort(ROWS);
    return table(h, rows, limit, "rows");
  }

  /**
   * An aligned table: headers, a rule, the rows (numbers right-aligned, strings without quotes,
   * other values as EDN, absent values empty), and a count line such as {@code (2 rows)}.
   */
  static String table(List<String> headers, List<List<Object>> rows, int limit, String noun) {
    int n = headers.size();
    int shown = Math.min(limit, rows.size());
    String[][] cells = new String[shown][n];
    int[] w = new int[n];
    boolean[] right = new boolean[n];
    for (int j = 0; j < n; j++) {
      w[j] = headers.get(j).length();
      right[j] = shown > 0;
    }
    for (int i = 0; i < shown; i++) {
      List<Object> row = rows.get(i);
      for (int j = 0; j < n; j++) {
        Object v = j < row.size() ? row.get(j) : null;
        cells[i][j] = v == null ? "" : cell(v);
        w[j] = Math.max(w[j], cells[i][j].length());
        if (v != null && !(v instanceof Number)) right[j] = false;
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers.toArray(new String[0]), w, new boolean[n]);
    for (int j = 0; j < n; j++) {
      if (j > 0) sb.append("-+-");
      sb.append("-".repeat(w[j]));
    }
    sb.append('\n');
    for (String[] row : cells) line(sb, row, w, right);
    int total = rows.size();
    String unit = total == 1 ? noun.substring(0, noun.length() - 1) : noun;
    sb.append('(').append(total).append(' ').append(unit);
    if (shown < total) sb.append(", showing the first ").append(shown);
    return sb.append(')').toString();
  }

  private static void line(StringBuilder sb, String[] cells, int[] w, boolean[] right) {
    StringBuilder l = new StringBuilder();
    for (int j = 0; j < cells.length; j++) {
      if (j > 0) l.append(" | ");
      String c = cells[j];
      String pad = " ".repeat(w[j] - c.length());
      if (right[j]) l.append(pad).append(c);
      else l.append(c).append(pad);
    }
    int end = l.length();
    while (end > 0 && l.charAt(end - 1) == ' ') end--;
    sb.append(l, 0, end).append('\n');
  }

  /** A table cell: strings as they are (one line), everything else as EDN. */
  static String cell(Object v) {
    String s = v instanceof String str ? str : EdnText.print(v);
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static List<String> columns(int n) {
    List<String> h = new ArrayList<>();
    for (int i = 1; i <= n; i++) h.add("col" + i);
    return h;
  }

  private static boolean allOf(Collection<?> c, Class<?> type) {
    for (Object o : c) if (!type.isInstance(o)) return false;
    return true;
  }

  private static boolean allMaps(Collection<?> c) {
    return allOf(c, Map.class);
  }

  /**
   * The find elements of a query in vector or map form, printed as EDN ({@code ?n}, {@code (count
   * ?e)}), or the {@code :keys}; null when the find spec is not a relation.
   */
  static List<String> findHeaders(Object query) {
    Object q = query;
    if (q instanceof Map<?, ?> m && m.containsKey(Keyword.of("query")))
      q = m.get(Keyword.of("query"));
    List<Object> find = new ArrayList<>();
    if (q instanceof List<?> l) {
      int i = l.indexOf(Keyword.of("find"));
      if (i < 0) return null;
      for (int j = i + 1; j < l.size() && !(l.get(j) instanceof Keyword); j++) find.add(l.get(j));
    } else if (q instanceof Map<?, ?> m && m.get(Keyword.of("find")) instanceof List<?> l) {
      find.addAll(l);
    } else {
      return null;
    }
    List<String> h = new ArrayList<>();
    for (Object f : find) {
      if (f instanceof Symbol s && (s.fullName().equals(".") || s.fullName().equals("..."))) {
        return null;
      }
      if (f instanceof List<?> && !(f instanceof datahike.edn.EdnList)) return null;
      h.add(EdnText.print(f));
    }
    return h;
  }

  /** A total order over values for sorting rows: by type, then value. */
  static final Comparator<Object> VALUES = Render::compareValues;

  private static final Comparator<List<Object>> ROWS =
      (a, b) -> {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
          int c = compareValues(a.get(i), b.get(i));
          if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
      };

  private static int rank(Object o) {
    if (o == null) return 0;
    if (o instanceof Boolean) return 1;
    if (o instanceof Number) return 2;
    if (o instanceof String || o instanceof Character) return 3;
    if (o instanceof Keyword) return 4;
    if (o instanceof Symbol) return 5;
    if (o instanceof Date) return 6;
    if (o instanceof UUID) return 7;
    if (o instanceof List) return 8;
    return 9;
  }

  @SuppressWarnings("unchecked")
  private static int compareValues(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    switch (ra) {
      case 0:
        return 0;
      case 1:
        return Boolean.compare((Boolean) a, (Boolean) b);
      case 2:
        if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
        return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
      case 3:
        return a.toString().compareTo(b.toString());
      case 4:
        return ((Keyword) a).compareTo((Keyword) b);
      case 6:
        return ((Date) a).compareTo((Date) b);
      case 8:
        return ROWS.compare((List<Object>) a, (List<Object>) b);
      default:
        return EdnText.print(a).compareTo(EdnText.print(b));
    }
  }
}
