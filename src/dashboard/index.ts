// The teacher dashboard: class view, learner detail, distribution chart and CSV export.
export * from './class-view';
export {
  loadClassView,
  latestDeliveries,
  visibleSubs,
  DashboardForbidden,
  type DashboardDeps,
  type Viewer,
} from './load';
export { toCsv, csvCell, BOM, type CsvSeparator } from './csv';
export { distributionChart, type DistributionChart, type ChartBar } from './chart';
