package datahike.edn;

import java.util.Objects;

/**
 * A tagged EDN element {@code #tag value} whose tag has no reader: {@code #my/point [1 2]} reads as
 * {@code Tagged("my/point", [1 2])} and prints back the same way.
 *
 * @param tag the tag without the {@code #}, e.g. {@code "my/point"}
 * @param value the element that followed the tag
 */
public record Tagged(String tag, Object value) {
  /** Checks that the tag is present. */
  public Tagged {
    Objects.requireNonNull(tag, "tag");
  }

  @Override
  public String toString() {
    return EdnPrinter.print(this);
  }
}
