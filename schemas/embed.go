package schemas

import (
	"embed"
	"io/fs"
)

// BaseURL is the prefix of the $id of every embedded schema; the rest of the
// $id is the file's path, for example BaseURL + "sdos/indicator.json".
const BaseURL = "https://stixkit.github.io/schemas/stix2.1/"

//go:embed common/*.json sdos/*.json sros/*.json observables/*.json extensions/*.json
var embedded embed.FS

// Files returns the embedded schema files, with paths such as
// "sdos/indicator.json" and "common/core.json".
func Files() fs.FS { return embedded }
