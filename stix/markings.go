package stix

// Identifiers of the TLP 1.0 marking definitions (definition_type "tlp").
const (
	TLPWhiteID Identifier = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
	TLPGreenID Identifier = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
	TLPAmberID Identifier = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	TLPRedID   Identifier = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
)

// Identifiers of the TLP 2.0 marking definitions (extension based).
const (
	TLP2ClearID       Identifier = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	TLP2GreenID       Identifier = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	TLP2AmberID       Identifier = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	TLP2AmberStrictID Identifier = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	TLP2RedID         Identifier = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
)

// TLP2ExtensionID is the extension-definition that carries TLP 2.0 levels.
const TLP2ExtensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// The TLP marking definitions as the specification (TLP 1.0) and the OASIS
// common objects (TLP 2.0) publish them. They are shared values: treat them
// as read-only (use Clone to get a copy to modify).
var (
	TLPWhite = tlp1(TLPWhiteID, "white")
	TLPGreen = tlp1(TLPGreenID, "green")
	TLPAmber = tlp1(TLPAmberID, "amber")
	TLPRed   = tlp1(TLPRedID, "red")

	TLP2Clear       = tlp2(TLP2ClearID, "clear")
	TLP2Green       = tlp2(TLP2GreenID, "green")
	TLP2Amber       = tlp2(TLP2AmberID, "amber")
	TLP2AmberStrict = tlp2(TLP2AmberStrictID, "amber+strict")
	TLP2Red         = tlp2(TLP2RedID, "red")
)

var tlpNames = map[string]string{
	"white": "TLP:WHITE", "green": "TLP:GREEN", "amber": "TLP:AMBER", "red": "TLP:RED",
	"clear": "TLP:CLEAR", "amber+strict": "TLP:AMBER+STRICT",
}

func tlp1(id Identifier, color string) *MarkingDefinition {
	def := Dict{}
	_ = def.Set("tlp", color)
	return &MarkingDefinition{
		SpecVersion:    "2.1",
		ID:             id,
		Created:        MustTimestamp("2017-01-20T00:00:00.000Z"),
		DefinitionType: "tlp",
		Name:           tlpNames[color],
		Definition:     def,
	}
}

func tlp2(id Identifier, level string) *MarkingDefinition {
	ext := Dict{}
	_ = ext.Set("extension_type", "property-extension")
	_ = ext.Set("tlp_2_0", level)
	return &MarkingDefinition{
		SpecVersion: "2.1",
		ID:          id,
		Created:     MustTimestamp("2022-10-01T00:00:00.000Z"),
		Name:        tlpNames[level],
		Extensions:  Extensions{{Name: TLP2ExtensionID, Value: ext}},
	}
}

// TLPMarkings maps every TLP 1.0 and 2.0 marking definition id to its
// definition.
var TLPMarkings = map[Identifier]*MarkingDefinition{
	TLPWhiteID: TLPWhite, TLPGreenID: TLPGreen, TLPAmberID: TLPAmber, TLPRedID: TLPRed,
	TLP2ClearID: TLP2Clear, TLP2GreenID: TLP2Green, TLP2AmberID: TLP2Amber,
	TLP2AmberStrictID: TLP2AmberStrict, TLP2RedID: TLP2Red,
}

// NewStatementMarking returns a statement marking definition with a fresh
// id, created at the given time.
func NewStatementMarking(statement string, created Timestamp) *MarkingDefinition {
	def := Dict{}
	_ = def.Set("statement", statement)
	return &MarkingDefinition{
		SpecVersion:    "2.1",
		ID:             NewIdentifier("marking-definition"),
		Created:        created,
		DefinitionType: "statement",
		Definition:     def,
	}
}
