package notebook

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// HTML renders the subset of Markdown that notebooks use (headings,
// paragraphs, lists, block quotes, fenced code, images, links, inline code,
// bold and italics) as a standalone page. It is deliberately small: a
// notebook's report, not a general Markdown engine.
func HTML(title, md string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n<style>%s</style></head><body>\n", html.EscapeString(title), css)
	lines := strings.Split(md, "\n")
	var para []string
	inList := false
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "```"):
			flush()
			closeList()
			lang := strings.TrimSpace(strings.TrimLeft(t, "`"))
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				code = append(code, lines[i])
			}
			class := "code"
			if lang == "text" {
				class = "output"
			}
			fmt.Fprintf(&b, "<pre class=\"%s\"><code>%s</code></pre>\n", class, html.EscapeString(strings.Join(code, "\n")))
		case t == "":
			flush()
			closeList()
		case strings.HasPrefix(t, "#"):
			flush()
			closeList()
			level := len(t) - len(strings.TrimLeft(t, "#"))
			level = min(level, 6)
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", level, inline(strings.TrimSpace(t[level:])), level)
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			flush()
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + inline(t[2:]) + "</li>\n")
		case strings.HasPrefix(t, "> "):
			flush()
			closeList()
			b.WriteString("<blockquote>" + inline(t[2:]) + "</blockquote>\n")
		default:
			para = append(para, t)
		}
	}
	flush()
	closeList()
	b.WriteString("</body></html>\n")
	return b.String()
}

var (
	imageRe  = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)\)`)
	linkRe   = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	codeRe   = regexp.MustCompile("`([^`]+)`")
	boldRe   = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	italicRe = regexp.MustCompile(`\*([^*]+)\*`)
)

// inline renders inline Markdown after escaping HTML.
func inline(s string) string {
	var codes []string
	s = codeRe.ReplaceAllStringFunc(s, func(m string) string {
		codes = append(codes, html.EscapeString(m[1:len(m)-1]))
		return fmt.Sprintf("\x00%d\x00", len(codes)-1)
	})
	s = html.EscapeString(s)
	s = imageRe.ReplaceAllString(s, `<img alt="$1" src="$2">`)
	s = linkRe.ReplaceAllString(s, `<a href="$2">$1</a>`)
	s = boldRe.ReplaceAllString(s, `<strong>$1</strong>`)
	s = italicRe.ReplaceAllString(s, `<em>$1</em>`)
	for i, c := range codes {
		s = strings.Replace(s, fmt.Sprintf("\x00%d\x00", i), "<code>"+c+"</code>", 1)
	}
	return s
}

const css = `body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
pre{padding:.7em 1em;overflow-x:auto;border-radius:4px}pre.code{background:#f4f4f4}pre.output{background:#fff;border-left:3px solid #0072b2}
img{max-width:100%}code{font-family:ui-monospace,monospace;font-size:.92em}blockquote{color:#555;border-left:3px solid #ccc;margin-left:0;padding-left:1em}`
