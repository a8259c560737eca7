/* The tables of a hub, as every backend copies them (copy.h). */
#include "vigil/store/copy.h"

const struct vg_store_table vg_store_tables[] = {
    {"hub", "key,value", "tt", "key"},
    {"orgs", "id,name,identity,created", "itti", "id"},
    {"users", "id,name,org,role,clearance,disabled,created", "itiiiii", "id"},
    {"keys", "id,\"user\",hash,created,expires,revoked", "tibiii", "id"},
    {"groups", "id,name,created", "iti", "id"},
    {"group_members", "grp,org", "ii", "grp,org"},
    {"collections", "id,alias,title,description,scope,org,grp,position",
     "ttttiiii", "position,id"},
    {"status", "id,\"user\",created,json", "tiit", "id"},
    {"audit",
     "seq,ts,actor,org,action,target,detail,source,purpose,prev,hash,auth",
     "iititttttbbt", "seq"},
    {"checkpoints", "seq,head,ts,sig", "ibib", "seq"},
    {"screen_runs",
     "id,created,actor,org,source,format,travellers,hits,threshold,"
     "travellers_json",
     "titittiirt", "id"},
    {"screen_hits",
     "run,n,traveller,entry,list,ref,score,explanation,disposition,"
     "disposed_by,disposed_at,note,entry_version,entry_name,key_doc,"
     "key_name,key_dob,same_person,suppressed",
     "tiitttrtitit"
     "tttttti",
     "run,n"},
    {"screen_suppressions",
     "id,org,entry,entry_version,doc,name,dob,run,hit,created,\"by\",note,"
     "withdrawn_at,withdrawn_by",
     "iittttttiittit", "id"},
    {"owners", "id,owner", "ti", "id"},
    {"sync_partners",
     "id,name,url,direction,org,hub_id,sign_pk,config,secret,state,created",
     "ittiitttbti", "id"},
    {"sync_cursors", "partner,key,value", "itt", "partner,key"},
    {"sync_quarantine",
     "id,partner,created,collection,object_id,version,reason,json,prov",
     "iiitttttt", "id"},
    {"sync_tombstones",
     "seq,origin,id,version,sig,path,scope,grp,tlp,classification,"
     "collection,type,created",
     "itttttiiiitti", "seq"},
    {"objects",
     "date_added,id,version,type,created,modified,spec_version,revoked,"
     "owner,scope,tlp,classification,latest,collection,grp,copy,json",
     "ittttttiiiiiitiit", "date_added"},
    {"sync_prov", "date_added,origin,path,sig,unsigned", "ittti", "date_added"},
    {"warn_keys", "key,added", "ti", "key,added"},
    {"warn_refs", "h,added", "ii", "h,added"},
    {"warn_watches",
     "id,name,org,\"user\",user_name,shared,kind,term,display,threshold,"
     "webhook,secret,created,disabled",
     "itiitiittrttii", "id"},
    {"warn_alerts",
     "seq,watch,org,\"user\",created,kind,retro,added,object,version,key,"
     "detail,acked_by,acked_at",
     "iiiiiiiittttti", "seq"},
    {"warn_deliveries", "alert,watch,attempts,next_at,done,error", "iiiiit",
     "alert,watch"},
    {"warn_disclosure", "subject,org,choice", "tii", "subject,org"},
    {"warn_requests",
     "id,created,requester_org,requester_user,requester_name,owner_org,"
     "object,reason,items,state,decided_by,decided_at",
     "iiiititttiti", "id"},
    {"warn_grants",
     "id,org,owner,added,object,request,granted_by,created,revoked,"
     "revoked_by,revoked_at",
     "iiiititiiti", "id"},
    {"warn_exclusions", "key,excluded", "ti", "key"},
    {0},
};
