package datahike.cli;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * The console's line parser for JLine: input is accepted only when its EDN brackets and strings are
 * closed (JLine then asks for more lines with the secondary prompt), and words for completion are
 * split at whitespace, commas and brackets, so that {@code [?e :na} completes {@code :na}.
 */
final class ConsoleParser implements Parser {
  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && EdnText.incomplete(line)) {
      throw new EOFError(-1, cursor, "EDN input is not complete", "]");
    }
    List<String> words = new ArrayList<>();
    int wordIndex = -1;
    int wordStart = cursor;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (delimiter(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '"') {
        i++;
        while (i < n && line.charAt(i) != '"') i += line.charAt(i) == '\\' ? 2 : 1;
        i = Math.min(n, i + 1);
      } else {
        while (i < n && !delimiter(line.charAt(i))) i++;
      }
      if (start <= cursor && cursor <= i && wordIndex < 0) {
        wordIndex = words.size();
        wordStart = start;
      }
      words.add(line.substring(start, i));
    }
    if (wordIndex < 0) {
      // The cursor is between words: complete an empty word there.
      int before = 0;
      for (int j = 0, k = 0; j < words.size(); j++) {
        k = line.indexOf(words.get(j), k);
        if (k >= 0 && k + words.get(j).length() <= cursor) before = j + 1;
        k += words.get(j).length();
      }
      wordIndex = before;
      words.add(before, "");
      wordStart = cursor;
    }
    return new Line(line, cursor, words, wordIndex, cursor - wordStart);
  }

  private static boolean delimiter(char c) {
    return Character.isWhitespace(c)
        || c == ','
        || c == '['
        || c == ']'
        || c == '('
        || c == ')'
        || c == '{'
        || c == '}';
  }

  /** A parsed line: words as typed (no escaping in EDN). */
  private record Line(String line, int cursor, List<String> words, int wordIndex, int wordCursor)
      implements CompletingParsedLine {
    @Override
    public String word() {
      return words.get(wordIndex);
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor;
    }

    @Override
    public int rawWordLength() {
      return word().length();
    }
  }
}
