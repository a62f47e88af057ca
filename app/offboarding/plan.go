// Package offboarding is a vendor's exit checklist: built from the
// vendor's record (integration methods) and its contracts (the confirmed
// data_return_deletion term, cancel-by dates) when offboarding starts,
// worked item by item, and signed off to terminate the vendor.
package offboarding

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rampart/app/contracts"
	"rampart/models"
)

// Item kinds, in checklist order.
const (
	KindRevokeAccess    = "revoke_access"
	KindDataReturn      = "data_return"
	KindDestruction     = "destruction_certificate"
	KindContractExit    = "contract_exit"
	KindCloseFindings   = "close_findings"
	KindSignOff         = "sign_off"
	FlagNoConfirmedTerm = "no_confirmed_term"
)

// Item statuses and offboarding statuses.
const (
	ItemOpen   = "open"
	ItemDone   = "done"
	ItemWaived = "waived"

	Open      = "open"
	Completed = "completed"
	Cancelled = "cancelled"
)

// ItemStatuses are what a client may set an item to.
var ItemStatuses = []string{ItemOpen, ItemDone, ItemWaived}

var revokeTitles = map[string]string{
	"sso":           "Revoke single sign-on access",
	"api":           "Revoke API keys and integrations",
	"file_transfer": "Close file transfer accounts and shares",
	"agent":         "Uninstall the vendor's agents",
}

// Source is what a checklist is built from.
type Source struct {
	Vendor models.Vendor
	// Contracts are the vendor's current (not archived) contracts, with
	// their terms keyed by contract id.
	Contracts []models.Contract
	Terms     map[string][]models.ContractTerm
	// Start is the day offboarding starts.
	Start time.Time
}

// Plan builds the checklist: revoke access (one per recorded integration
// method, or one generic), return or delete data (one per contract with a
// confirmed data_return_deletion term, or one generic flagged
// no_confirmed_term), the certificate of destruction, one exit per
// contract still running, close findings and exceptions, sign-off.
func Plan(src Source) []models.OffboardingItem {
	var out []models.OffboardingItem
	for _, m := range src.Vendor.IntegrationMethods {
		if t, ok := revokeTitles[m]; ok {
			out = append(out, models.OffboardingItem{Kind: KindRevokeAccess, Title: t,
				Detail: "Recorded integration method: " + m + ". Disable the accounts, keys and connections it uses."})
		}
	}
	if len(out) == 0 {
		out = append(out, models.OffboardingItem{Kind: KindRevokeAccess, Title: "Revoke the vendor's access",
			Detail: "No integration method is recorded: check accounts, keys and shared folders the vendor may hold."})
	}

	latestReturn := ""
	for _, c := range src.Contracts {
		t, d, ok := confirmedDeletion(src.Terms[c.ID])
		if !ok {
			continue
		}
		due, rule := DataReturnDue(d, c, src.Start)
		id := c.ID
		out = append(out, models.OffboardingItem{Kind: KindDataReturn, Title: "Retrieve or delete our data: " + c.Title,
			Detail: fmt.Sprintf("Confirmed term: %s.", t.Value), DueOn: due, DueRule: rule, TermQuote: quoteOf(t), ContractID: &id})
		latestReturn = max(latestReturn, due)
	}
	if latestReturn == "" {
		out = append(out, models.OffboardingItem{Kind: KindDataReturn, Title: "Retrieve or delete our data", Flag: FlagNoConfirmedTerm,
			Detail: "No contract has a confirmed data return and deletion term: agree the return or deletion with the vendor."})
	}
	out = append(out, models.OffboardingItem{Kind: KindDestruction, Title: "Obtain a certificate of destruction", DueOn: latestReturn,
		Detail: "Upload the vendor's certificate of destruction to its evidence and link it here."})

	for _, c := range src.Contracts {
		if c.Status == "expired" || c.Status == "terminated" {
			continue
		}
		id := c.ID
		it := models.OffboardingItem{Kind: KindContractExit, Title: "Terminate or let lapse: " + c.Title, ContractID: &id}
		switch {
		case c.CancelBy != "":
			it.DueOn, it.DueRule = c.CancelBy, "the contract's cancel-by date"
			it.Detail = fmt.Sprintf("Give notice by %s or it renews; done when the contract is terminated or expired.", c.CancelBy)
		case c.CurrentTermEnd != "":
			it.DueOn, it.DueRule = c.CurrentTermEnd, "the contract's current term end"
			it.Detail = fmt.Sprintf("It ends on %s without renewing; done when the contract is terminated or expired.", c.CurrentTermEnd)
		default:
			it.Detail = "The contract has no end date: terminate it; done when the contract is terminated or expired."
		}
		out = append(out, it)
	}
	out = append(out, models.OffboardingItem{Kind: KindCloseFindings, Title: "Close open findings and exceptions",
		Detail: "Done by itself when the vendor has no open finding and no requested or approved exception."})
	out = append(out, models.OffboardingItem{Kind: KindSignOff, Title: "Final sign-off",
		Detail: "Signing off terminates the vendor; possible once every other item is done or waived."})
	for i := range out {
		out[i].Status = ItemOpen
	}
	return out
}

// confirmedDeletion finds a confirmed (or corrected) data_return_deletion
// term with a readable duration.
func confirmedDeletion(ts []models.ContractTerm) (models.ContractTerm, map[string]float64, bool) {
	for _, t := range ts {
		if t.TermKey != "data_return_deletion" || !t.Found || (t.ReviewState != contracts.TermConfirmed && t.ReviewState != contracts.TermCorrected) {
			continue
		}
		var d map[string]float64
		if json.Unmarshal([]byte(t.Normalized), &d) != nil || len(d) == 0 {
			continue
		}
		return t, d, true
	}
	return models.ContractTerm{}, nil, false
}

func quoteOf(t models.ContractTerm) string {
	var ev []struct {
		Quote string `json:"quote"`
	}
	if json.Unmarshal([]byte(t.Evidence), &ev) != nil || len(ev) == 0 {
		return ""
	}
	return strings.TrimSpace(ev[0].Quote)
}

// DataReturnDue is when data must be returned or deleted under a
// contract's confirmed term (a duration after the contract ends): the
// duration counted from the contract's current term end, or from the
// offboarding's start day when the contract has no end date. Hours round
// up to whole days; business days skip Saturdays and Sundays; months and
// years keep the day of month (or the month's last day).
func DataReturnDue(d map[string]float64, c models.Contract, start time.Time) (string, string) {
	base, from := start.UTC().Truncate(24*time.Hour), "the offboarding's start"
	end := c.CurrentTermEnd
	if end == "" {
		end = c.EndDate
	}
	if t, err := time.Parse(time.DateOnly, end); err == nil {
		base, from = t, "the contract's end ("+end+")"
	}
	due, words := AddDuration(base, d)
	return due.Format(time.DateOnly), words + " after " + from
}

// AddDuration adds a normalized duration ({"days":30}) to day, and names it.
func AddDuration(day time.Time, d map[string]float64) (time.Time, string) {
	for _, unit := range []string{"hours", "days", "business_days", "weeks", "months", "years"} {
		n, ok := d[unit]
		if !ok {
			continue
		}
		k := int(n)
		words := fmt.Sprintf("%d %s", k, strings.ReplaceAll(unit, "_", " "))
		if k == 1 {
			words = strings.TrimSuffix(words, "s")
		}
		switch unit {
		case "hours":
			return day.AddDate(0, 0, (k+23)/24), words
		case "days":
			return day.AddDate(0, 0, k), words
		case "business_days":
			for k > 0 {
				day = day.AddDate(0, 0, 1)
				if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
					k--
				}
			}
			return day, words
		case "weeks":
			return day.AddDate(0, 0, 7*k), words
		case "months":
			return contracts.AddMonths(day, k), words
		case "years":
			return contracts.AddMonths(day, 12*k), words
		}
	}
	return day, "no time"
}
