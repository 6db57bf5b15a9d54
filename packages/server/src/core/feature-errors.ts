import { CallsightError } from './errors.js';

/**
 * Boot errors of the feature graph: a server that cannot wire its features refuses
 * to start and says which declaration is wrong (status 500: they are never a client's fault).
 */
export const featureErrors = {
  duplicateFeature: (name: string) => new CallsightError('feature_duplicate', `Feature "${name}" is listed twice`),
  missingNeed: (feature: string, service: string, listed: string[]) =>
    new CallsightError(
      'feature_need_missing',
      `Feature "${feature}" needs "${service}", which no listed feature provides (listed: ${listed.join(', ') || 'none'})`,
    ),
  providedTwice: (service: string, a: string, b: string) =>
    new CallsightError('service_provided_twice', `"${service}" is provided by both "${a}" and "${b}"`),
  cycle: (names: string[]) => new CallsightError('feature_cycle', `Features need each other in a cycle: ${names.join(' → ')}`),
  undeclared: (feature: string, service: string, how: 'needs or uses' | 'provides') =>
    new CallsightError('service_undeclared', `Feature "${feature}" touches "${service}" without declaring it in ${how}`),
  notProvided: (feature: string, service: string) =>
    new CallsightError(
      'service_not_provided',
      `Feature "${feature}" declares it provides "${service}" but its setup neither provided it nor said why not (services.unavailable)`,
    ),
  unavailable: (service: string, reason: string) => new CallsightError('service_unavailable', `${service} is not running: ${reason}`, { status: 503 }),
  notRunning: (service: string) => new CallsightError('service_unavailable', `${service} is not running`, { status: 503 }),
};
