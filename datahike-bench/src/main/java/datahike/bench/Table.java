package datahike.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One result table: printed as plain aligned text and written to the JSON file with the same
 * figures. Cells hold typed values (a Double of ms, a Long count, ...) or a String such as {@code
 * N/A} or {@code not available yet}; the column's {@link Format} renders numbers for the text
 * table, the JSON keeps them as numbers.
 */
final class Table {
  /** How a column renders numbers in the text table. */
  enum Format {
    /** As is. */
    TEXT,
    /** Milliseconds, three significant digits (as in PEOPLE20K.md section 7). */
    MS,
    /** A ratio, two decimals. */
    RATIO,
    /** An integer count with thousands separators. */
    COUNT,
    /** A size in bytes, one decimal. */
    BYTES,
    /** Any figure: thousands separators from 100 up, else about three significant digits. */
    NUMBER
  }

  /** A column: JSON key, text header, format; hidden columns go to the JSON only. */
  record Column(String key, String header, Format format, boolean shown) {
    static Column of(String key, String header, Format format) {
      return new Column(key, header, format, true);
    }

    static Column hidden(String key) {
      return new Column(key, key, Format.TEXT, false);
    }
  }

  private final String id;
  private final String title;
  private final List<Column> columns;
  private final List<Object[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Table(String id, String title, List<Column> columns) {
    this.id = id;
    this.title = title;
    this.columns = List.copyOf(columns);
  }

  /** Adds a row, one value per column. */
  Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "table " + id + ": row of " + values.length + " values, " + columns.size() + " columns");
    }
    rows.add(values.clone());
    return this;
  }

  /** Adds a note printed under the table and stored in the JSON. */
  Table note(String note) {
    notes.add(note);
    return this;
  }

  /** The table as aligned plain text, with its title and notes. */
  String render() {
    List<Column> shown = columns.stream().filter(Column::shown).toList();
    List<String[]> cells = new ArrayList<>();
    cells.add(shown.stream().map(Column::header).toArray(String[]::new));
    for (Object[] r : rows) {
      String[] line = new String[shown.size()];
      int j = 0;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).shown()) {
          line[j++] = format(r[i], columns.get(i).format());
        }
      }
      cells.add(line);
    }
    int[] width = new int[shown.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(title).append('\n');
    for (int k = 0; k < cells.size(); k++) {
      String[] line = cells.get(k);
      for (int i = 0; i < line.length; i++) {
        boolean left = i == 0 || shown.get(i).format() == Format.TEXT;
        String pad = " ".repeat(width[i] - line[i].length());
        sb.append(i == 0 ? "" : "  ").append(left ? line[i] + pad : pad + line[i]);
      }
      while (sb.charAt(sb.length() - 1) == ' ') {
        sb.setLength(sb.length() - 1);
      }
      sb.append('\n');
      if (k == 0) {
        int total = 0;
        for (int w : width) {
          total += w;
        }
        sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
      }
    }
    for (String n : notes) {
      sb.append("  ").append(n).append('\n');
    }
    return sb.toString();
  }

  /** The table as JSON-ready data. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("title", title);
    List<Object> rs = new ArrayList<>();
    for (Object[] r : rows) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        o.put(columns.get(i).key(), r[i]);
      }
      rs.add(o);
    }
    m.put("rows", rs);
    m.put("notes", List.copyOf(notes));
    return m;
  }

  /** {@code v} rendered for the text table. */
  static String format(Object v, Format f) {
    if (v == null) {
      return "-";
    }
    if (!(v instanceof Number n)) {
      return v.toString();
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      return "-";
    }
    return switch (f) {
      case MS -> ms(d);
      case RATIO -> String.format(Locale.ROOT, "%.2f", d);
      case COUNT -> String.format(Locale.ROOT, "%,d", Math.round(d));
      case BYTES -> String.format(Locale.ROOT, "%.1f", d);
      case NUMBER -> Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : ms(d);
      case TEXT -> v.toString();
    };
  }

  /** Milliseconds with about three significant digits: 4523, 33.5, 2.52, 0.412. */
  static String ms(double d) {
    if (d >= 100) {
      return String.format(Locale.ROOT, "%.0f", d);
    } else if (d >= 10) {
      return String.format(Locale.ROOT, "%.1f", d);
    } else if (d >= 1) {
      return String.format(Locale.ROOT, "%.2f", d);
    } else if (d >= 0.01) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return String.format(Locale.ROOT, "%.5f", d);
  }

  /** {@code lo–hi} in {@link #ms} format, as PEOPLE20K.md writes ranges. */
  static String range(double lo, double hi) {
    return Double.isFinite(lo) && Double.isFinite(hi) ? ms(lo) + "–" + ms(hi) : null;
  }
}
