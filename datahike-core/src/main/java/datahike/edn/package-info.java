/**
 * EDN: the values ({@link datahike.edn.Keyword}, {@link datahike.edn.Symbol}, {@link
 * datahike.edn.EdnList}, {@link datahike.edn.Tagged}), the reader ({@link datahike.edn.EdnReader})
 * and the printer ({@link datahike.edn.EdnPrinter}).
 *
 * <p>Internal: not part of the public API, which is package {@code datahike}. Keywords, symbols and
 * the collections the reader makes do appear in that API as values.
 */
package datahike.edn;
