"""The game pages' CSS: projector sizes (text at least 16 px), tables of figures, the team
colours, the budget inputs side by side with the levels they buy (wide enough for whole
labels), wide tables that never widen the page past a 1024-pixel projector."""

from ckm_sim.dashboard.style import CSS as DASHBOARD_CSS

CSS = (
    DASHBOARD_CSS
    + """
.ckm-game h2 {font-size: 24px; margin: 12px 0 4px 0;}
.ckm-status {font-size: 18px; margin: 6px 0;}
.ckm-status [data-team] {margin-right: 12px;}
.ckm-columns {display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start;}
.ckm-columns > .v-card {flex: 1 1 300px; padding: 4px 8px;}
.ckm-table {border-collapse: collapse; margin: 4px 0 10px 0;}
.ckm-wide {max-width: 100%; overflow-x: auto;}
.ckm-wide .ckm-table th, .ckm-wide .ckm-table td {padding-right: 7px;}
.ckm-table td, .ckm-table th {padding: 3px 12px 3px 0; vertical-align: top; font-size: 16px;
  text-align: left;}
.ckm-table td.v {text-align: right; font-variant-numeric: tabular-nums; font-weight: 700;
  white-space: nowrap;}
.ckm-split .ckm-share {display: flex; align-items: center; gap: 12px;}
.ckm-columns > .v-card.ckm-form-card {flex: 2 1 520px;}
.ckm-split .v-input {max-width: 420px; min-width: 320px;}
.ckm-level {min-width: 6em; font-variant-numeric: tabular-nums;}
.ckm-total {display: block; margin: 6px 0; font-weight: 600;}
.ckm-over {color: #b71c1c;}
.ckm-codes {font-size: 18px; margin: 6px 0;}
.ckm-code {margin-right: 16px;}
.ckm-code code {font-size: 22px; letter-spacing: 2px;}
.ckm-join {max-width: 420px;}
.ckm-wrong input {color: #b71c1c;}
.ckm-recorded {font-size: 16px; margin: 6px 0;}
.ckm-board .ckm-status {font-size: 32px;}
.ckm-board .ckm-table td, .ckm-board .ckm-table th {font-size: 26px;}
.ckm-countdown {font-size: 96px; font-weight: 700; font-variant-numeric: tabular-nums;}
.ckm-confirm {font-size: 18px; margin: 6px 0; padding: 8px; border: 2px solid #b71c1c;}
.ckm-confirm .v-btn {margin: 6px 8px 0 0;}
.ckm-paused {color: #b71c1c;}
.ckm-charts {display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 8px;}
.ckm-winner {font-size: 20px; font-weight: 700; margin: 6px 0;}
.ckm-why {font-size: 16px;}
.ckm-whatif .v-select {max-width: 240px;}
.ckm-whatif-split {display: flex; flex-wrap: wrap; gap: 0 16px;}
.ckm-whatif-split .v-input {width: 300px;}
.ckm-slips {display: flex; flex-wrap: wrap; gap: 12px;}
.ckm-slip {border: 2px dashed #546e7a; padding: 16px; font-size: 20px; width: 300px;
  break-inside: avoid;}
.ckm-slip code {font-size: 32px; letter-spacing: 3px;}
"""
)
