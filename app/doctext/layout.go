package doctext

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Layout thresholds, in multiples of the text size.
const (
	spaceGap     = 0.15 // a gap wider than this between two strings is a space
	tabGap       = 2.5  // and wider than this, a column: a tab
	sameLine     = 0.5  // baselines closer than this are one line
	paragraphGap = 1.3  // a line gap this many times the page's usual one starts a paragraph
)

// layoutPage orders a page's runs into text: lines top to bottom, runs
// left to right in each, a space where there is a visible gap, and a blank
// line where the gap between two lines is clearly larger than the page's
// usual line spacing. Text written at another angle than most of the page
// (a diagonal "DRAFT" stamp) is left out.
func layoutPage(runs []run) string {
	runs = mainDirection(runs)
	parts, ok := splitColumns(runs)
	if !ok {
		return layoutBlock(runs)
	}
	var texts []string
	for _, p := range parts {
		if t := layoutBlock(p); t != "" {
			texts = append(texts, t)
		}
	}
	return strings.Join(texts, "\n\n")
}

// splitColumns finds a page set in two columns (the small print on the
// back of an order form, a translation side by side) so that each column
// is read top to bottom before the next. It returns what spans both
// columns above them, the left column, the right one, and what spans
// both below them. Only pages with a clear gutter, and with both sides
// mostly full lines of text, are split: a table's columns hold short
// cells and stay read row by row.
func splitColumns(runs []run) ([][]run, bool) {
	if len(runs) < 12 {
		return nil, false
	}
	minX, maxX := math.Inf(1), math.Inf(-1)
	sizes := make([]float64, 0, len(runs))
	for _, r := range runs {
		minX, maxX = math.Min(minX, r.x), math.Max(maxX, r.endX)
		sizes = append(sizes, r.size)
	}
	sort.Float64s(sizes)
	size, width := sizes[len(sizes)/2], maxX-minX
	if size <= 0 || width < 20*size || width > 1e5 {
		return nil, false
	}
	// Runs crossing each point of the middle band; headings and footers
	// that span the page may cross the gutter, the columns may not.
	lo, n := minX+0.3*width, int(0.4*width)+1
	cross := make([]int, n)
	for _, r := range runs {
		for i := max(0, int(math.Ceil(r.x-lo))); i <= min(n-1, int(math.Floor(r.endX-lo))); i++ {
			cross[i]++
		}
	}
	allowed := len(runs) / 6
	best, bestW, start := -1, 0, -1
	for i := 0; i <= n; i++ {
		if i < n && cross[i] <= allowed {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > bestW {
			best, bestW = start, i-start
		}
		start = -1
	}
	if best < 0 || float64(bestW) < size {
		return nil, false
	}
	gutter := lo + float64(best) + float64(bestW)/2
	var left, right, spanning []run
	for _, r := range runs {
		switch {
		case r.endX <= gutter:
			left = append(left, r)
		case r.x >= gutter:
			right = append(right, r)
		default:
			spanning = append(spanning, r)
		}
	}
	if !fullColumn(left, gutter) || !fullColumn(right, maxX) {
		return nil, false
	}
	top := math.Inf(-1)
	for _, r := range append(left[:len(left):len(left)], right...) {
		top = math.Max(top, r.y)
	}
	var above, below []run
	for _, r := range spanning {
		if r.y > top {
			above = append(above, r)
		} else {
			below = append(below, r)
		}
	}
	return [][]run{above, left, right, below}, true
}

// fullColumn reports whether runs form a column of text: at least four
// lines, most of them filling most of the column's width.
func fullColumn(runs []run, right float64) bool {
	if len(runs) == 0 {
		return false
	}
	lines := map[int][2]float64{}
	left := math.Inf(1)
	for _, r := range runs {
		left = math.Min(left, r.x)
		k := int(math.Round(r.y))
		e, ok := lines[k]
		if !ok {
			e = [2]float64{r.x, r.endX}
		}
		lines[k] = [2]float64{math.Min(e[0], r.x), math.Max(e[1], r.endX)}
	}
	full := 0
	for _, e := range lines {
		if e[1]-e[0] >= 0.6*(right-left) {
			full++
		}
	}
	return len(lines) >= 4 && full*2 >= len(lines)
}

// layoutBlock lays out runs read as one block (a page or a column).
func layoutBlock(runs []run) string {
	if len(runs) == 0 {
		return ""
	}
	sort.SliceStable(runs, func(i, j int) bool {
		if runs[i].y != runs[j].y {
			return runs[i].y > runs[j].y
		}
		return runs[i].x < runs[j].x
	})
	type line struct {
		y, size float64
		runs    []run
	}
	var lines []*line
	for _, r := range runs {
		if n := len(lines); n > 0 {
			l := lines[n-1]
			if math.Abs(l.y-r.y) < sameLine*math.Max(l.size, r.size) {
				l.runs = append(l.runs, r)
				l.size = math.Max(l.size, r.size)
				continue
			}
		}
		lines = append(lines, &line{y: r.y, size: r.size, runs: []run{r}})
	}
	var gaps []float64
	for i := 1; i < len(lines); i++ {
		gaps = append(gaps, lines[i-1].y-lines[i].y)
	}
	usual := usualGap(gaps)
	var out strings.Builder
	for i, l := range lines {
		text := joinLine(l.runs)
		if text == "" {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n")
			// Without a usual spacing (no two gaps alike, as on a page of
			// two lines) a gap of two lines' height still parts paragraphs.
			if usual > 0 && gaps[i-1] > paragraphGap*usual || usual == 0 && gaps[i-1] > 2*l.size {
				out.WriteString("\n")
			}
		}
		out.WriteString(text)
	}
	return out.String()
}

// usualGap is the page's line spacing: the most frequent gap between
// lines (to half a point), the smaller on a tie; 0 when no two gaps agree.
func usualGap(gaps []float64) float64 {
	count := map[float64]int{}
	best, bestN := 0.0, 0
	for _, g := range gaps {
		if g <= 0 {
			continue
		}
		k := math.Round(g*2) / 2
		count[k]++
		if n := count[k]; n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	if bestN < 2 {
		return 0
	}
	return best
}

func joinLine(runs []run) string {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].x < runs[j].x })
	var b strings.Builder
	var prev *run
	for i := range runs {
		r := &runs[i]
		text := cleanRun(r.text)
		if text == "" {
			continue
		}
		if prev != nil {
			// Bold faked by drawing the same string twice, slightly offset.
			if r.text == prev.text && math.Abs(r.x-prev.x) < 0.2*r.size {
				continue
			}
			gap := r.x - prev.endX
			size := math.Max(r.size, prev.size)
			last := b.String()
			spaced := strings.HasSuffix(last, " ") || strings.HasPrefix(text, " ")
			switch {
			case gap > tabGap*size:
				b.WriteString("\t")
				text = strings.TrimLeft(text, " ")
			case gap > spaceGap*size && !spaced:
				b.WriteString(" ")
			}
		}
		b.WriteString(text)
		prev = r
	}
	return strings.TrimSpace(b.String())
}

// ligatures are expanded so that "ﬁnal" matches "final".
var ligatures = strings.NewReplacer("\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl", "\uFB05", "st", "\uFB06", "st")

func cleanRun(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ligatures.Replace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u00A0' || r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r):
			return ' '
		case r == '\u00AD' || r == '\uFEFF' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// mainDirection keeps the runs written in the page's main direction
// (the one most characters take) and turns the page so that direction
// reads left to right, as on a page set in landscape.
func mainDirection(runs []run) []run {
	weight := map[int]int{}
	angles := make([]int, len(runs))
	for i, r := range runs {
		a := int(math.Round(math.Atan2(r.endY-r.y, r.endX-r.x) * 180 / math.Pi))
		if r.endX == r.x && r.endY == r.y {
			a = 0 // no width known: assume horizontal
		}
		angles[i] = a
		weight[a] += len(r.text)
	}
	best, bestW := 0, -1
	for a, w := range weight {
		if w > bestW || w == bestW && abs(a) < abs(best) {
			best, bestW = a, w
		}
	}
	sin, cos := math.Sincos(-float64(best) * math.Pi / 180)
	out := runs[:0]
	for i, r := range runs {
		if abs(angles[i]-best) > 1 {
			continue
		}
		if best != 0 {
			r.x, r.y = r.x*cos-r.y*sin, r.x*sin+r.y*cos
			r.endX, r.endY = r.endX*cos-r.endY*sin, r.endX*sin+r.endY*cos
		}
		out = append(out, r)
	}
	return out
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}
