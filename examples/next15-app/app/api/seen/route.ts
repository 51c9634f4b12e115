export const dynamic = 'force-dynamic'

export { GET } from '../../../../next-app/app/api/seen/route'
