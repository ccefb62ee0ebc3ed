package datahike.edn;

import datahike.DatahikeException;
import java.io.IOException;
import java.io.Reader;

/**
 * The character level of {@link EdnReader}: a char array read with an index, whitespace and
 * comments, tokens, string and character literals, and the line and column of every position.
 *
 * <p>How: the array is the whole text, or a buffer refilled from a {@link Reader} once used up.
 * Tokens run to the next whitespace or terminating character (Clojure's EdnReader: {@code " ; ^ ( )
 * [ ] { } \}; {@code #} and {@code '} do not end a token) and are cut from the array without
 * regular expressions; only a token that straddles a refill is copied through a builder. Lines are
 * counted only where a newline can be consumed (whitespace, comments, strings, character literals),
 * and a column is the distance from the current line's start offset, so positions cost nothing per
 * char.
 */
final class EdnLexer {
  private static final int BUFFER_SIZE = 8192;
  private static final byte WHITESPACE = 1;
  private static final byte TERMINATING = 2;

  /** For ASCII chars: whitespace, terminating (ends a token), or 0 for neither. */
  private static final byte[] CHAR_CLASS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      if (Character.isWhitespace(c) || c == ',') {
        CHAR_CLASS[c] = WHITESPACE;
      }
    }
    for (char c : "\";^()[]{}\\".toCharArray()) {
      CHAR_CLASS[c] = TERMINATING;
    }
  }

  private final Reader in;
  private final StringBuilder sb = new StringBuilder();
  private final char[] buf;
  private int pos;
  private int limit;
  private boolean eof;

  /** Absolute offset of buf[0] in the input. */
  private long bufStart;

  /** Current line (from 1) and the absolute offset of its first char. */
  private int line = 1;

  private long lineStart;

  /** A lexer over {@code text}. */
  EdnLexer(String text) {
    this.in = null;
    this.buf = text.toCharArray();
    this.limit = buf.length;
    this.eof = true;
  }

  /** A lexer over {@code in}, read in chunks. */
  EdnLexer(Reader in) {
    this.in = in;
    this.buf = new char[BUFFER_SIZE];
  }

  /** The line (from 1) of the next char. */
  int line() {
    return line;
  }

  /** The column (from 1, in UTF-16 chars) of the next char. */
  int column() {
    return (int) (bufStart + pos - lineStart) + 1;
  }

  /** Skips whitespace and comments; the next char (not consumed), or -1 at the end. */
  int skipWhitespace() {
    for (; ; ) {
      if (pos >= limit && !fill()) {
        return -1;
      }
      char c = buf[pos];
      if (c < 128) {
        if (CHAR_CLASS[c] == WHITESPACE) {
          pos++;
          if (c == '\n') {
            newline();
          }
          continue;
        }
        if (c == ';') {
          skipComment();
          continue;
        }
        return c;
      }
      if (!Character.isWhitespace(c)) {
        return c;
      }
      pos++;
    }
  }

  private void skipComment() {
    pos++;
    for (; ; ) {
      if (pos >= limit && !fill()) {
        return;
      }
      if (buf[pos++] == '\n') {
        newline();
        return;
      }
    }
  }

  /** The next char without consuming it, or -1 at the end. */
  int peek() {
    return pos < limit || fill() ? buf[pos] : -1;
  }

  /** Consumes the char that {@link #peek()} or {@link #skipWhitespace()} just returned. */
  void skip() {
    pos++;
  }

  /** The next char, consumed, or -1 at the end. */
  private int read() {
    return pos < limit || fill() ? buf[pos++] : -1;
  }

  /**
   * The token from the next char (or from the char just consumed, if {@code withPrevious}) to the
   * next whitespace or terminating char; possibly empty.
   */
  String token(boolean withPrevious) {
    int start = withPrevious ? pos - 1 : pos;
    for (; ; ) {
      if (pos >= limit) {
        if (eof) {
          break;
        }
        sb.setLength(0);
        sb.append(buf, start, pos - start);
        while ((pos < limit || fill()) && !endsToken(buf[pos])) {
          sb.append(buf[pos++]);
        }
        return sb.toString();
      }
      if (endsToken(buf[pos])) {
        break;
      }
      pos++;
    }
    return new String(buf, start, pos - start);
  }

  private static boolean endsToken(char c) {
    return c < 128 ? CHAR_CLASS[c] != 0 : Character.isWhitespace(c);
  }

  /**
   * A string literal whose opening quote, at {@code openLine} and {@code openColumn}, was just
   * consumed.
   */
  String readString(int openLine, int openColumn) {
    int start = pos;
    while (pos < limit) {
      char c = buf[pos];
      if (c == '"') {
        pos++;
        return new String(buf, start, pos - 1 - start);
      }
      if (c == '\\' || c == '\n') {
        break;
      }
      pos++;
    }
    sb.setLength(0);
    sb.append(buf, start, pos - start);
    for (; ; ) {
      if (pos >= limit && !fill()) {
        throw unclosedString(openLine, openColumn);
      }
      start = pos;
      while (pos < limit) {
        char c = buf[pos];
        if (c == '"' || c == '\\' || c == '\n') {
          break;
        }
        pos++;
      }
      sb.append(buf, start, pos - start);
      if (pos >= limit) {
        continue;
      }
      char c = buf[pos++];
      if (c == '"') {
        return sb.toString();
      } else if (c == '\n') {
        sb.append(c);
        newline();
      } else {
        escape(openLine, openColumn);
      }
    }
  }

  /** Appends the char of the escape sequence whose backslash was just consumed. */
  private void escape(int openLine, int openColumn) {
    int l = line;
    int col = column() - 1;
    int e = read();
    switch (e) {
      case 't':
        sb.append('\t');
        return;
      case 'n':
        sb.append('\n');
        return;
      case 'r':
        sb.append('\r');
        return;
      case 'b':
        sb.append('\b');
        return;
      case 'f':
        sb.append('\f');
        return;
      case '"':
      case '\\':
        sb.append((char) e);
        return;
      case 'u':
        {
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int p = peek();
            int d = p < 0 ? -1 : Character.digit((char) p, 16);
            if (d < 0) {
              throw error("Invalid unicode escape: \\u needs four hex digits", l, col);
            }
            pos++;
            v = v * 16 + d;
          }
          sb.append((char) v);
          return;
        }
      case -1:
        throw unclosedString(openLine, openColumn);
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int i = 1; i < 3 && peek() >= '0' && peek() <= '7'; i++) {
            v = v * 8 + read() - '0';
          }
          if (v > 0377) {
            throw error("Octal escape sequence must be in range [0, 377]", l, col);
          }
          sb.append((char) v);
          return;
        }
        throw error("Unsupported escape character: \\" + (char) e, l, col);
    }
  }

  private DatahikeException unclosedString(int openLine, int openColumn) {
    return error(
        "Unclosed string (opened" + at(openLine, openColumn) + "): unexpected end of input",
        line,
        column());
  }

  /**
   * A character literal whose backslash, at {@code atLine} and {@code atColumn}, was just consumed:
   * {@code \c}, a name such as {@code \newline}, {@code \}{@code uXXXX} or {@code \o377}.
   */
  char readCharacter(int atLine, int atColumn) {
    int first = read();
    if (first < 0) {
      throw error("End of input after '\\'", atLine, atColumn);
    }
    char c = (char) first;
    if (c == '\n') {
      newline();
    }
    String rest = token(false);
    if (rest.isEmpty()) {
      return c;
    }
    String t = c + rest;
    switch (t) {
      case "newline":
        return '\n';
      case "space":
        return ' ';
      case "tab":
        return '\t';
      case "return":
        return '\r';
      case "backspace":
        return '\b';
      case "formfeed":
        return '\f';
      default:
        break;
    }
    if (c == 'u' && rest.length() == 4) {
      int v = digits(rest, 16);
      if (v >= 0) {
        return (char) v;
      }
    } else if (c == 'o' && rest.length() <= 3) {
      int v = digits(rest, 8);
      if (v >= 0 && v <= 0377) {
        return (char) v;
      }
    }
    throw error("Unsupported character: \\" + t, atLine, atColumn);
  }

  /** The value of {@code s} in {@code radix}, or -1 if a char is no digit. */
  private static int digits(String s, int radix) {
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = Character.digit(s.charAt(i), radix);
      if (d < 0 || s.charAt(i) > 'z') {
        return -1;
      }
      v = v * radix + d;
    }
    return v;
  }

  /** Records that the char before {@code pos} was a newline. */
  private void newline() {
    line++;
    lineStart = bufStart + pos;
  }

  /** Refills the buffer once it is used up; false at the end of the input. */
  private boolean fill() {
    if (eof) {
      return false;
    }
    bufStart += limit;
    pos = 0;
    limit = 0;
    try {
      int n;
      do {
        n = in.read(buf, 0, buf.length);
      } while (n == 0);
      if (n < 0) {
        eof = true;
        return false;
      }
      limit = n;
      return true;
    } catch (IOException e) {
      throw DatahikeException.of(
          "edn/io",
          "Cannot read the EDN input: " + e.getMessage() + at(line, column()),
          "line",
          (long) line,
          "column",
          (long) column(),
          e);
    }
  }

  /** {@code " at line L, column C"}. */
  static String at(int line, int column) {
    return " at line " + line + ", column " + column;
  }

  /** An {@code :edn/parse} error at {@code line} and {@code column}. */
  static DatahikeException error(String message, int line, int column) {
    return DatahikeException.of(
        "edn/parse", message + at(line, column), "line", (long) line, "column", (long) column);
  }
}
