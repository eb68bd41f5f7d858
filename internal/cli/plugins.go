package cli

import (
	"fmt"

	"github.com/strata-agent/strata/internal/plugins"
)

// loadEnabledPlugins adds the plugins enabledPlugins turns on from marketplaces on disk.
// Plugins bring prompts and skills that may grant tools, so when the folder's own settings
// enable them or declare their marketplaces, they load only in a trusted folder.
func (a *app) loadEnabledPlugins(st *stack) {
	s := st.settings
	enabled, markets := s.Extra["enabledPlugins"], s.Extra["extraKnownMarketplaces"]
	if len(enabled) == 0 {
		return
	}
	fromRepo := fromProject(s.ExtraSource["enabledPlugins"]) ||
		len(markets) > 0 && fromProject(s.ExtraSource["extraKnownMarketplaces"])
	if fromRepo && !a.folderTrusted() {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: enabledPlugins not loaded: this folder's settings choose them and the folder is not trusted")
		return
	}
	list, problems := plugins.Enabled(enabled, markets, configDir(a.env))
	for _, p := range problems {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", p)
	}
	st.plugins = append(st.plugins, list...)
}
