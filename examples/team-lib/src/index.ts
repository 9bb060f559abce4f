export { WebService, TEAM_REGISTRIES, type WebServiceProps } from './web-service.ts';
