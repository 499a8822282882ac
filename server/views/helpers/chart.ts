// {{chart value}}: the markup of a server-rendered chart. Only a ChartSvg (made by renderChartSvg,
// which escapes every text it writes) is output as markup; anything else is output as nothing, so a
// template never emits raw text and needs no {{{ }}}.
import Handlebars from 'handlebars';
import { ChartSvg } from '../../analysis/charts.js';

export const chart = (value: unknown): Handlebars.SafeString | '' => (value instanceof ChartSvg ? new Handlebars.SafeString(value.markup) : '');
