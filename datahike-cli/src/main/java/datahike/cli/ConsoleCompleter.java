package datahike.cli;

import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion in the console: command names as the first word, and keywords anywhere: the
 * database's attribute names (schema and attributes in use, refreshed after each transaction),
 * query clause keywords and schema keywords.
 */
final class ConsoleCompleter implements Completer {
  static final List<String> KEYWORDS =
      List.of(
          ":find",
          ":where",
          ":in",
          ":keys",
          ":with",
          ":strs",
          ":syms",
          ":db/id",
          ":db/ident",
          ":db/valueType",
          ":db/cardinality",
          ":db/unique",
          ":db/index",
          ":db/isComponent",
          ":db/doc",
          ":db/noHistory",
          ":db.type/string",
          ":db.type/long",
          ":db.type/double",
          ":db.type/boolean",
          ":db.type/instant",
          ":db.type/keyword",
          ":db.type/ref",
          ":db.type/uuid",
          ":db.type/float",
          ":db.type/bigint",
          ":db.type/bigdec",
          ":db.type/symbol",
          ":db.type/tuple",
          ":db.cardinality/one",
          ":db.cardinality/many",
          ":db.unique/identity",
          ":db.unique/value",
          ":db/add",
          ":db/retract",
          ":db/retractEntity",
          ":eavt",
          ":aevt",
          ":avet");

  private final ConsoleCommands commands;
  private long seenTx = Long.MIN_VALUE;
  private Set<String> attributes = Set.of();

  ConsoleCompleter(ConsoleCommands commands) {
    this.commands = commands;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word();
    if (line.wordIndex() == 0 && !word.startsWith(":") && !word.startsWith("?")) {
      for (ConsoleCommands.Command c : commands.commands()) {
        candidates.add(new Candidate(c.name(), c.name(), "commands", c.doc(), null, null, true));
      }
      return;
    }
    if (!word.startsWith(":") && !word.isEmpty()) return;
    for (String a : attributes()) {
      candidates.add(new Candidate(a, a, "attributes", null, null, null, true));
    }
    for (String k : KEYWORDS) {
      if (!attributes.contains(k)) {
        candidates.add(new Candidate(k, k, "keywords", null, null, null, true));
      }
    }
  }

  /** The attribute names, recomputed only when a transaction happened since the last time. */
  Set<String> attributes() {
    long tx = commands.db().maxTx();
    if (tx != seenTx) {
      attributes = commands.attributeNames();
      seenTx = tx;
    }
    return attributes;
  }
}
