import { settingsService } from '../settings/settings-service';

export const services = { settings: settingsService };
