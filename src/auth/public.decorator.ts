import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'switchyard:public';

/** Lets one route under `/admin` or `/api` through the admin guard (login only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
