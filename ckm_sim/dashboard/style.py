"""The page's CSS: sizes for a projector (text at least 16 px), a control bar that stays at the
top, the large headline figures, sliders of one width with their values, and a layout that
stacks the settings above the views on narrow screens (1024 px, or 150 % zoom) instead of
hiding them in an overlay."""

CSS = """
.ckm-page, .ckm-page .v-label, .ckm-page .v-select__selection, .ckm-page input,
.ckm-page .v-btn, .ckm-page p, .ckm-page td, .ckm-page th, .ckm-page li,
.ckm-page .v-card__title, .ckm-page .v-tab {font-size: 16px !important;}
.ckm-page .v-card__title {font-size: 18px !important; padding: 8px 12px; word-break: normal;}
.ckm-page .v-card__text, .ckm-slider-head, .ckm-slider-head span, .ckm-panel,
.ckm-page .v-expansion-panel-header {font-size: 16px !important;}
.ckm-page {padding: 0 8px 24px 8px;}
.ckm-page .v-tabs {margin-top: -4px;}
.ckm-top {position: sticky; top: 0; z-index: 5; background: #fff;}
.ckm-bar {display: flex;
  flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 14px 0 6px 0;
  border-bottom: 1px solid #cfd8dc;}
.ckm-bar .v-input {flex: 0 0 auto; margin: 0; padding: 0;}
.ckm-bar .v-select {width: 170px;}
.ckm-bar .ckm-speed {width: 110px;}
.ckm-runto {display: flex; align-items: center; gap: 6px;}
.ckm-runto .ckm-target {width: 110px;}
.ckm-clock {font-weight: 700; font-size: 20px;}
.ckm-message, .ckm-pending {color: #b71c1c; display: block; margin: 4px 0;}
.ckm-note, .ckm-meaning {color: #455a64; font-size: 16px !important;}
.ckm-meaning {display: block; font-weight: normal;}
.ckm-headline {display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0;}
.ckm-tile {flex: 1 1 160px; border: 1px solid #cfd8dc; border-radius: 6px; padding: 4px 10px;}
.ckm-tile-label {font-size: 16px; font-weight: 600;}
.ckm-big {font-size: 34px; font-weight: 700; line-height: 1.15;
  font-variant-numeric: tabular-nums; white-space: nowrap;}
.ckm-unit {font-weight: 600;}
.ckm-tile .ckm-meaning {line-height: 1.2;}
.ckm-body {display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start;}
.ckm-side {flex: 0 0 290px; max-width: 100%;}
.ckm-main {flex: 1 1 560px; min-width: 0;}
.ckm-slider {margin: 2px 0 8px 0; width: 100%;}
.ckm-slider-head {display: flex; justify-content: space-between; gap: 8px;}
.ckm-slider-value {font-weight: 700; font-variant-numeric: tabular-nums; min-width: 5em;
  text-align: right;}
.ckm-slider .v-input__slot {margin: 0;}
.ckm-others {margin: 0 0 10px 0;}
.ckm-others span {display: block;}
.ckm-panel table {border-collapse: collapse; margin: 2px 0 10px 0;}
.ckm-panel td, .ckm-panel th {padding: 2px 10px 2px 0; vertical-align: top;}
.ckm-panel td.v {text-align: right; font-variant-numeric: tabular-nums; font-weight: 700;
  white-space: nowrap;}
.ckm-panel td.u {color: #455a64; white-space: nowrap;}
.ckm-compare .ckm-panel td {line-height: 1.2; padding-bottom: 1px;}
.ckm-compare .ckm-panel h4 {margin-top: 0;}
.ckm-panel h4 {margin: 10px 0 2px 0; font-size: 17px;}
.ckm-flows {display: flex; flex-wrap: wrap; gap: 2px 16px; margin: 4px 0;}
.ckm-flow i {display: inline-block; width: 26px; height: 4px; margin: 0 6px 4px 0;
  vertical-align: middle;}
.ckm-network, .ckm-charts {width: 100%;}
.ckm-live {display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start;
  margin-bottom: 12px;}
.ckm-live-network {flex: 3 1 440px; min-width: 0;}
.ckm-live-figures {flex: 2 1 300px; min-width: 0;}
.ckm-several .ckm-live-figures {flex: 1 1 100%;}
"""
