package seeds

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"rampart/app/vendors"
	"rampart/models"
)

// Fictional vendor names: two word lists whose products are clearly made up.
var (
	namePrefixes = []string{"Northwind", "Bluefin", "Copperleaf", "Driftwood", "Emberline", "Fernhill", "Glasswing", "Harborview",
		"Ironbark", "Juniper", "Kestrel", "Lanternfish", "Moonstone", "Nimbus", "Oakridge", "Pinecrest", "Quillon", "Redwater",
		"Saltmarsh", "Tidewell", "Umberfield", "Vantage Loop", "Willowby", "Yellowtail", "Zephyrine", "Amberfall", "Brightrock", "Cloudberry"}
	nameSuffixes = []string{"Analytics", "Payroll", "Cloud", "Mail", "Security", "Logistics", "Design Studio", "Legal Partners",
		"Data Systems", "Networks", "HR", "Support Desk", "Translations", "Hardware", "Billing", "Observability", "Backup", "Learning"}
	departments  = []string{"Engineering", "Finance", "Marketing", "Sales", "People", "Legal", "IT", "Customer Success", "Operations"}
	regions      = []string{"EU", "US", "UK", "eu-west-1", "us-east-1", "APAC", "CH"}
	tagPool      = []string{"critical-path", "soc2", "iso27001", "gdpr", "renewal-2027", "shadow-it", "pilot", "core", "marketing-stack", "finance-stack"}
	descriptions = map[string]string{
		"saas":                  "Hosted application used by %s for day-to-day work.",
		"cloud_infrastructure":  "Infrastructure provider running part of the %s platform.",
		"professional_services": "Consultants engaged by %s on a statement of work.",
		"hardware":              "Supplier of devices and appliances for %s.",
		"data_processor":        "Processes personal data on behalf of %s.",
		"payment":               "Payment processing used by %s.",
		"other":                 "Supplier to %s.",
	}
)

// VendorSpec is one generated vendor.
type VendorSpec struct {
	Record models.VendorRecord
	// OwnerIndex picks the business owner among the demo users (-1: none).
	OwnerIndex int
}

// GenerateVendors returns n vendors, the same n for the same seed:
// realistic variety across statuses, categories, departments, data types
// and access levels, with names that are clearly fictional.
func GenerateVendors(n int, seed uint64) []VendorSpec {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	out := make([]VendorSpec, 0, n)
	for i := 0; i < n; i++ {
		name := namePrefixes[i%len(namePrefixes)] + " " + nameSuffixes[(i/len(namePrefixes)+i)%len(nameSuffixes)]
		if i >= len(namePrefixes)*len(nameSuffixes) {
			name = fmt.Sprintf("%s %d", name, i/(len(namePrefixes)*len(nameSuffixes))+1)
		}
		slug := strings.ReplaceAll(strings.ToLower(name), " ", "")
		category := vendors.Categories[weighted(rng, []int{40, 15, 12, 6, 12, 6, 9})]
		status := vendors.Statuses[weighted(rng, []int{8, 10, 8, 55, 5, 7, 7})]
		dept := pick(departments)
		access := vendors.AccessLevels[weighted(rng, []int{25, 30, 25, 12, 8})]
		var dataTypes []string
		for _, dt := range vendors.DataTypes[1:] {
			if rng.IntN(100) < 22 {
				dataTypes = append(dataTypes, dt)
			}
		}
		if len(dataTypes) == 0 {
			dataTypes = []string{pick([]string{"none", "internal", "confidential"})}
		}
		methods := []string{}
		for _, m := range vendors.IntegrationMethods[:4] {
			if rng.IntN(100) < 35 {
				methods = append(methods, m)
			}
		}
		if len(methods) == 0 {
			methods = []string{"none"}
		}
		var tags []string
		for _, t := range tagPool {
			if rng.IntN(100) < 15 {
				tags = append(tags, t)
			}
		}
		spend := int64(rng.IntN(40)+1) * int64([]int{500, 1000, 5000, 10000}[rng.IntN(4)])
		rec := models.VendorRecord{
			Vendor: models.Vendor{
				Name: name, LegalName: name + " " + pick([]string{"Ltd", "Inc.", "GmbH", "B.V.", "SAS", "LLC"}),
				Website: "https://www." + slug + ".example", Description: fmt.Sprintf(descriptions[category], dept),
				Category: category, Status: status, Department: dept, AccessLevel: access,
				IntegrationMethods: methods, HostingRegions: []string{pick(regions)},
				AnnualSpend: spend, Currency: pick([]string{"EUR", "USD", "GBP"}), InternalUsers: int64(rng.IntN(400) + 1),
				Criticality: int64(weighted(rng, []int{30, 35, 25, 10}) + 1),
			},
			Tags: tags, DataTypes: dataTypes,
			Contacts: []models.VendorContact{{Name: pick([]string{"Sam", "Alex", "Robin", "Kim", "Jo", "Noor"}) + " " + pick([]string{"Ito", "Berg", "Okoye", "Silva", "Novak", "Laurent"}),
				Email: "security@" + slug + ".example", Role: pick([]string{"Account manager", "Security officer", "Data protection officer"})}},
		}
		rec.NameKey, rec.Domain = vendors.NameKey(rec.Name), vendors.Domain(rec.Website)
		out = append(out, VendorSpec{Record: rec, OwnerIndex: rng.IntN(len(DemoUsers)+1) - 1})
	}
	return out
}

// weighted returns an index drawn with the given relative weights.
func weighted(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}
