package cuadeval

import (
	"fmt"
	"io"
	"strings"
	"time"
)

func metWord(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

// AllMet says whether every target holds.
func (r *Report) AllMet() bool {
	for _, k := range r.Keys {
		if !k.Met() {
			return false
		}
	}
	for _, v := range r.Values {
		if !v.Met() {
			return false
		}
	}
	return r.TotalCPU < TargetTotalCPU && r.MaxCPU < TargetContractCPU
}

// Write prints the figures, each target with met / NOT MET, and with
// disagreements the list of contracts where we and CUAD differ.
func (r *Report) Write(w io.Writer, disagreements bool) error {
	fmt.Fprintf(w, "CUAD evaluation: %d contracts\n\n", r.Contracts)
	fmt.Fprintf(w, "Presence (target: precision >= %.2f and recall >= %.2f per key)\n", TargetPrecision, TargetRecall)
	fmt.Fprintln(w, "\n| key | TP | FP | FN | precision | recall | F1 | adjudicated | CUAD as published: P | R | target |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, k := range r.Keys {
		fmt.Fprintf(w, "| `%s` | %d | %d | %d | %.3f | %.3f | %.3f | %d | %.3f | %.3f | %s |\n", k.Key, k.TP, k.FP, k.FN,
			k.Precision(), k.Recall(), k.F1(), k.Adjudicated, k.RawPrecision(), k.RawRecall(), metWord(k.Met()))
	}
	fmt.Fprintf(w, "\nValue accuracy where both sides have a value (target >= %.2f)\n", TargetValueAccuracy)
	fmt.Fprintln(w, "\n| key | compared | right | accuracy | target |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	for _, v := range r.Values {
		fmt.Fprintf(w, "| `%s` | %d | %d | %.3f | %s |\n", v.Key, v.Compared, v.Right, v.Accuracy(), metWord(v.Met()))
	}
	e := r.EffectiveDate
	fmt.Fprintf(w, "\nRecord proposals (not a target): effective date proposed for %d of %d contracts where CUAD gives one (coverage %.3f), right %d of %d (accuracy %.3f)\n",
		e.Proposed, e.WithAnswer, e.Coverage(), e.Right, e.Proposed, e.Accuracy())
	what := "CPU"
	if !r.CPUMeasured {
		what = "wall clock (no CPU accounting on this system)"
	}
	fmt.Fprintf(w, "\nTime (%s): whole set %s (target < %s: %s); slowest contract %s (target < %s: %s) %s; wall clock %s\n",
		what, round(r.TotalCPU), TargetTotalCPU, metWord(r.TotalCPU < TargetTotalCPU),
		round(r.MaxCPU), TargetContractCPU, metWord(r.MaxCPU < TargetContractCPU), r.Slowest, round(r.Wall))
	fmt.Fprintf(w, "\nAll targets: %s. %d disagreements", metWord(r.AllMet()), len(r.Disagreements))
	if !disagreements {
		_, err := fmt.Fprintln(w, " (list them with --disagreements).")
		return err
	}
	fmt.Fprintln(w, ":")
	for _, d := range r.Disagreements {
		fmt.Fprintf(w, "\n%s | %s | %s | expected: %s | got: %s\n    %s\n", d.Contract, d.Key, d.Kind, d.Expected, d.Got, oneLine(d.Quote, 400))
	}
	return nil
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
