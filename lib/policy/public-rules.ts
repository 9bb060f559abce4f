// `policies.*` as users see them: the ready-made rules, and the built-in best practices as a list.
export { memoryLimits, cpuRequests, pinnedImageTags, readinessProbes, noHostPath, allowedRegistries, requiredLabels } from './rules.ts';
export { bestPractices } from './best-practices.ts';
