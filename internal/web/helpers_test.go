package web_test

import (
	"regexp"
	"strconv"
)

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

// withoutLabels removes the data-label attributes (each table cell names its
// column for phones) so that tests can match cells as `<td class="num">1</td>`.
func withoutLabels(body string) string { return dataLabelAttr.ReplaceAllString(body, "") }

var dataLabelAttr = regexp.MustCompile(` data-label="[^"]*"`)
