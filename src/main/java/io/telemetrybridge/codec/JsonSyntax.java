package io.telemetrybridge.codec;

import com.fasterxml.jackson.core.JacksonException;

/** The text of a JSON syntax error as every JSON door of the bridge answers it (seed API, OTLP/JSON, queries). */
public final class JsonSyntax {

    private JsonSyntax() {}

    /**
     * {@code "malformed JSON: <what the parser says> at line L, column C"}: the parser's first line, without the
     * source excerpts and start-marker locations Jackson writes into it ({@code [Source: REDACTED ...]}), which
     * name its own settings rather than the client's input.
     */
    public static String malformed(JacksonException e) {
        String what = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
        what = what.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*][^)]*\\)", "")
                .replaceAll("\\s*\\[Source:[^\\]]*]", "");
        int newline = what.indexOf('\n');
        what = newline < 0 ? what : what.substring(0, newline);
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "malformed JSON: " + what.trim() + where;
    }
}
